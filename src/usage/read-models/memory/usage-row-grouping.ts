import type { UsageAggregateRow, UsageDimension } from '../usage-buckets.port';
import type { BucketCounter, BucketCounters } from './bucket-counters';

interface MutableRow {
  bucket?: string;
  keyId?: string;
  endpoint?: string;
  status?: BucketCounter['status'];
  uses: number;
  latencyMsSum: number;
  latencyCount: number;
}

/** GROUP BY `by` over the counters of the selected buckets, optionally of one key only. */
export function groupRows(
  buckets: readonly (readonly [number, BucketCounters])[],
  keyId: string | undefined,
  by: readonly UsageDimension[],
): UsageAggregateRow[] {
  const groups = new Map<string, MutableRow>();
  for (const [start, counters] of buckets) {
    const bucket = by.includes('bucket') ? new Date(start).toISOString() : undefined;
    counters.forEach(keyId, (counter) => {
      const values = by.map((dimension) =>
        dimension === 'bucket' ? (bucket as string) : counter[dimension],
      );
      const groupId = values.join('\n');
      let row = groups.get(groupId);
      if (!row) {
        row = { uses: 0, latencyMsSum: 0, latencyCount: 0 };
        by.forEach((dimension, i) => assign(row as MutableRow, dimension, values[i]));
        groups.set(groupId, row);
      }
      row.uses += counter.uses;
      row.latencyMsSum += counter.latencyMsSum;
      row.latencyCount += counter.latencyCount;
    });
  }
  return [...groups.values()];
}

function assign(row: MutableRow, dimension: UsageDimension, value: string): void {
  if (dimension === 'status') row.status = value as BucketCounter['status'];
  else row[dimension] = value;
}
