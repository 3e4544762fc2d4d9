import {
  comparePositions,
  type GlobalPosition,
  type RecordedEvent,
} from '../../../event-store/event-store.port';
import { occurredAtOf } from '../../../event-store/occurred-at';
import { asDomainEvent } from '../../../event-store/recorded-events';
import { BUCKET_MS, bucketStart, GRANULARITIES, type Granularity } from '../../domain/time-buckets';
import { forEachCount } from '../../domain/usage-encoding';
import type { UsageRecorded } from '../../domain/usage-recorded';
import type {
  UsageAggregateQuery,
  UsageAggregateRow,
  UsageBuckets,
  UsageRetention,
} from '../usage-buckets.port';
import { BucketCounters } from './bucket-counters';
import { groupRows } from './usage-row-grouping';

/** Bucket start (epoch ms) → its counters. */
type Buckets = Map<number, BucketCounters>;

/** Retention is enforced at most once per minute of event time: pruning walks every bucket. */
const PRUNE_EVERY_MS = 60_000;

/**
 * The embedded usage buckets: everything in memory, rebuilt from the usage streams at start.
 * Every entry of an event adds to its minute, hour and day bucket.
 */
export class MemoryUsageBuckets implements UsageBuckets {
  readonly name = 'usage-buckets';
  readonly filter = { streamPrefixes: ['usage-'], eventTypes: ['UsageRecorded'] };
  private readonly tenants = new Map<string, Record<Granularity, Buckets>>();
  private applied: GlobalPosition | undefined;
  private newestMs = Number.NEGATIVE_INFINITY;
  private prunedAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly retention: UsageRetention) {}

  apply(event: RecordedEvent): void {
    if (this.applied && comparePositions(event.position, this.applied) <= 0) return;
    this.applied = event.position;
    if (event.type !== 'UsageRecorded') return;
    // Counters come grouped by tenant and minute: find their three buckets once per group.
    let scope: { tenantId: string; minuteMs: number; buckets: BucketCounters[] } | undefined;
    forEachCount(asDomainEvent<UsageRecorded>(event).data, (count) => {
      if (scope?.tenantId !== count.tenantId || scope.minuteMs !== count.minuteMs) {
        const buckets = this.bucketsOf(count.tenantId, count.minuteMs);
        scope = { tenantId: count.tenantId, minuteMs: count.minuteMs, buckets };
      }
      for (const counters of scope.buckets) counters.add(count);
    });
    this.newestMs = Math.max(this.newestMs, Date.parse(occurredAtOf(event)));
    if (this.newestMs - this.prunedAtMs >= PRUNE_EVERY_MS) this.prune();
  }

  aggregate(query: UsageAggregateQuery): Promise<UsageAggregateRow[]> {
    const buckets = this.tenants.get(query.tenantId)?.[query.granularity];
    if (!buckets) return Promise.resolve([]);
    const fromMs = query.from.getTime();
    const toMs = query.to.getTime();
    const selected: [number, BucketCounters][] = [];
    const span = (toMs - fromMs) / BUCKET_MS[query.granularity];
    if (span < buckets.size) {
      // A short range: look its buckets up rather than walk every bucket held.
      const size = BUCKET_MS[query.granularity];
      for (let start = Math.ceil(fromMs / size) * size; start < toMs; start += size) {
        const counters = buckets.get(start);
        if (counters) selected.push([start, counters]);
      }
    } else {
      for (const [start, counters] of buckets) {
        if (start >= fromMs && start < toMs) selected.push([start, counters]);
      }
    }
    return Promise.resolve(groupRows(selected, query.keyId, query.by));
  }

  /** The minute, hour and day buckets a counter of `tenantId` in this minute adds to. */
  private bucketsOf(tenantId: string, minuteMs: number): BucketCounters[] {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = { minute: new Map(), hour: new Map(), day: new Map() };
      this.tenants.set(tenantId, tenant);
    }
    return GRANULARITIES.map((granularity) => {
      const start = bucketStart(minuteMs, granularity);
      let counters = tenant[granularity].get(start);
      if (!counters) {
        counters = new BucketCounters();
        tenant[granularity].set(start, counters);
      }
      return counters;
    });
  }

  private prune(): void {
    this.prunedAtMs = this.newestMs;
    for (const tenant of this.tenants.values()) {
      for (const granularity of GRANULARITIES) {
        const cutoff = this.newestMs - this.retention[granularity];
        for (const start of tenant[granularity].keys()) {
          if (start < cutoff) tenant[granularity].delete(start);
        }
      }
    }
  }
}
