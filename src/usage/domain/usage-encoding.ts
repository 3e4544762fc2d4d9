import type { UsageCount, UsageGroup, UsageRecorded, UsageRow } from './usage-recorded';

/**
 * Counters → the groups of a UsageRecorded event: one group per tenant and minute, one row per
 * counter. Every object is built with its keys in canonical (sorted) order, so that hashing a
 * large flush takes `canonicalJson`'s JSON.stringify path.
 */
export function encodeUsage(counts: Iterable<UsageCount>): UsageGroup[] {
  type Group = { minute: string; rows: UsageRow[]; tenantId: string; minuteMs: number };
  const groups = new Map<string, Group>();
  let group: Group | undefined;
  for (const count of counts) {
    // Most counters of a flush share the previous one's minute and tenant.
    if (group?.minuteMs !== count.minuteMs || group.tenantId !== count.tenantId) {
      const groupId = `${count.minuteMs}|${count.tenantId}`;
      group = groups.get(groupId);
      if (!group) {
        const minute = new Date(count.minuteMs).toISOString();
        group = { minute, rows: [], tenantId: count.tenantId, minuteMs: count.minuteMs };
        groups.set(groupId, group);
      }
    }
    const { keyId, endpoint, status, uses } = count;
    const lastUseMs = count.lastUsedMs - count.minuteMs;
    group.rows.push(
      count.latencyCount > 0
        ? [keyId, endpoint, status, uses, lastUseMs, count.latencyMsSum, count.latencyCount]
        : [keyId, endpoint, status, uses, lastUseMs],
    );
  }
  return [...groups.values()].map(({ minute, rows, tenantId }) => ({ minute, rows, tenantId }));
}

/**
 * Visits every counter of an event. One object is reused for every row, so that projecting a
 * flush of thousands of counters allocates nothing per counter: copy what you keep.
 */
export function forEachCount(
  data: UsageRecorded['data'],
  visit: (count: Readonly<UsageCount>) => void,
): void {
  const count: { -readonly [F in keyof UsageCount]: UsageCount[F] } = {
    tenantId: '',
    keyId: '',
    endpoint: '',
    status: 'unknown',
    minuteMs: 0,
    uses: 0,
    lastUsedMs: 0,
    latencyMsSum: 0,
    latencyCount: 0,
  };
  for (const group of data.groups) {
    count.tenantId = group.tenantId;
    count.minuteMs = Date.parse(group.minute);
    for (const row of group.rows) {
      count.keyId = row[0];
      count.endpoint = row[1];
      count.status = row[2];
      count.uses = row[3];
      count.lastUsedMs = count.minuteMs + row[4];
      count.latencyMsSum = row[5] ?? 0;
      count.latencyCount = row[6] ?? 0;
      visit(count);
    }
  }
}

/** The counters of an event, as `encodeUsage` was given them (order aside). */
export function decodeUsage(data: UsageRecorded['data']): UsageCount[] {
  const counts: UsageCount[] = [];
  forEachCount(data, (count) => counts.push({ ...count }));
  return counts;
}

/** Total uses of an event: what a flush wrote. */
export function usesIn(data: UsageRecorded['data']): number {
  let total = 0;
  for (const group of data.groups) for (const row of group.rows) total += row[3];
  return total;
}
