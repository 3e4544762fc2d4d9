import { randomUUID } from 'node:crypto';
import type { JsonObject, RecordedEvent } from '../../src/event-store/event-store.port';
import { encodeUsage } from '../../src/usage/domain/usage-encoding';
import type { StatusClass, UsageCount } from '../../src/usage/domain/usage-recorded';
import { fakeHash } from './event-factory';

/** A usage counter written with ISO times, as specs read best; defaults: one use of `verify`. */
export interface UsageEntry {
  readonly keyId: string;
  readonly tenantId?: string;
  readonly endpoint?: string;
  readonly status?: StatusClass;
  /** Start of the minute, ISO 8601; default: the minute of `lastUsedAt`. */
  readonly minute?: string;
  readonly uses?: number;
  /** Default: the start of the minute. */
  readonly lastUsedAt?: string;
  readonly latencyMsSum?: number;
  readonly latencyCount?: number;
}

export function usageEntry(entry: UsageEntry): UsageCount {
  const lastUsed = entry.lastUsedAt === undefined ? undefined : Date.parse(entry.lastUsedAt);
  const minute =
    entry.minute ??
    (lastUsed === undefined
      ? '2026-03-01T12:00:00.000Z'
      : new Date(lastUsed - (lastUsed % 60_000)).toISOString());
  return {
    tenantId: entry.tenantId ?? 'acme',
    keyId: entry.keyId,
    endpoint: entry.endpoint ?? 'verify',
    status: entry.status ?? 'unknown',
    minuteMs: Date.parse(minute),
    uses: entry.uses ?? 1,
    lastUsedMs: Date.parse(entry.lastUsedAt ?? minute),
    latencyMsSum: entry.latencyMsSum ?? 0,
    latencyCount: entry.latencyCount ?? 0,
  };
}

/**
 * Stored UsageRecorded events at consecutive global positions, as a subscription would deliver
 * them. Each event occurs at its `occurredAt` (default: the latest use it counts).
 */
export class UsageEventLog {
  readonly events: RecordedEvent[] = [];
  private position = 0n;

  constructor(private readonly stream = 'usage-test-20260301') {}

  add(counts: readonly UsageCount[], occurredAt?: string): RecordedEvent {
    this.position += 1n;
    const latest = Math.max(0, ...counts.map((count) => count.lastUsedMs));
    const event: RecordedEvent = {
      id: randomUUID(),
      stream: this.stream,
      revision: BigInt(this.events.filter((e) => e.stream === this.stream).length),
      position: { commit: this.position, prepare: this.position },
      type: 'UsageRecorded',
      data: { groups: encodeUsage(counts), instanceId: 'test' } as unknown as JsonObject,
      metadata: {
        schemaVersion: 1,
        occurredAt: occurredAt ?? new Date(latest).toISOString(),
        actor: { type: 'system', id: 'usage:test' },
        requestId: randomUUID(),
        prevHash: fakeHash(),
        hash: fakeHash(),
      },
    };
    this.events.push(event);
    return event;
  }

  /** An ApiKeyCreated event at the next position (only the fields usage read models look at). */
  keyCreated(keyId: string, tenantId: string): RecordedEvent {
    this.position += 1n;
    const event: RecordedEvent = {
      id: randomUUID(),
      stream: `apikey-${keyId}`,
      revision: 0n,
      position: { commit: this.position, prepare: this.position },
      type: 'ApiKeyCreated',
      data: { keyId, tenantId },
      metadata: {
        schemaVersion: 1,
        occurredAt: '2026-01-01T00:00:00.000Z',
        actor: { type: 'system', id: 'test' },
        requestId: randomUUID(),
        prevHash: fakeHash(),
        hash: fakeHash(),
      },
    };
    this.events.push(event);
    return event;
  }
}
