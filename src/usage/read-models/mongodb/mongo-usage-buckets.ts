import type { Collection, Db } from 'mongodb';
import type { RecordedEvent } from '../../../event-store/event-store.port';
import { asDomainEvent } from '../../../event-store/recorded-events';
import {
  updateEachOnce,
  updateOnce,
  type ProjectedDocument,
} from '../../../projections/mongodb/apply-once';
import type { MongoProjection } from '../../../projections/mongodb/mongo-projection';
import { positionKey } from '../../../projections/mongodb/mongo-position';
import { GRANULARITIES } from '../../domain/time-buckets';
import type { UsageRecorded } from '../../domain/usage-recorded';
import type {
  UsageAggregateQuery,
  UsageAggregateRow,
  UsageBuckets,
  UsageRetention,
} from '../usage-buckets.port';
import { bucketUpdates, type UsageBucketDocument } from './usage-bucket-documents';
import {
  aggregationPipeline,
  toAggregateRow,
  type UsageGroupDocument,
} from './usage-bucket-pipeline';

export const USAGE_BUCKET_COLLECTION = 'usage_buckets';
export const USAGE_BUCKETS_STATE_COLLECTION = 'usage_buckets_state';

/** What the writer must know across restarts: how far it got and where retention stands. */
interface UsageBucketsState extends ProjectedDocument {
  /** `positionKey` of the last event applied. */
  readonly appliedAt: string;
  /** `occurredAt` of the newest event applied: retention counts back from it. */
  readonly newestAt: Date;
  /** `newestAt` when buckets past retention were last deleted. */
  readonly prunedAt: Date;
}

const STATE_ID = 'usage-buckets';

/** Retention is enforced at most once per minute of event time: pruning scans an index. */
const PRUNE_EVERY_MS = 60_000;

/**
 * The usage buckets in MongoDB: one document per granularity × bucket × key × status class ×
 * endpoint, summed with `$inc` through `updateEachOnce`, so that an event replayed adds nothing.
 * A state document keeps the last position and the newest event time: events at or before that
 * position are skipped whole (a replay cannot bring back a pruned bucket), and retention is
 * measured from the same newest time after a restart.
 */
export class MongoUsageBuckets implements UsageBuckets, MongoProjection {
  readonly name = 'usage-buckets';
  readonly filter = { streamPrefixes: ['usage-'], eventTypes: ['UsageRecorded'] };
  private readonly buckets: Collection<UsageBucketDocument>;
  private readonly state: Collection<UsageBucketsState>;

  constructor(
    db: Db,
    private readonly retention: UsageRetention,
  ) {
    this.buckets = db.collection(USAGE_BUCKET_COLLECTION);
    this.state = db.collection(USAGE_BUCKETS_STATE_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.buckets.createIndexes([
      { key: { tenantId: 1, granularity: 1, bucket: 1 }, name: 'tenant_granularity_bucket' },
      {
        key: { tenantId: 1, keyId: 1, granularity: 1, bucket: 1 },
        name: 'tenant_key_granularity_bucket',
      },
      // Pruning deletes every tenant's old buckets of one granularity.
      { key: { granularity: 1, bucket: 1 }, name: 'granularity_bucket' },
    ]);
  }

  async apply(event: RecordedEvent): Promise<void> {
    if (event.type !== 'UsageRecorded') return;
    const position = positionKey(event.position);
    // Read on every event rather than cached: the writer may change hands (the lease).
    const state = await this.state.findOne({ _id: STATE_ID });
    if (state && state.appliedAt >= position) return;
    const data = asDomainEvent<UsageRecorded>(event).data;
    await updateEachOnce(this.buckets, position, bucketUpdates(data));
    const occurredMs = Date.parse(event.metadata.occurredAt);
    const newestMs = Math.max(state?.newestAt.getTime() ?? occurredMs, occurredMs);
    let prunedMs = state?.prunedAt.getTime() ?? Number.NEGATIVE_INFINITY;
    if (newestMs - prunedMs >= PRUNE_EVERY_MS) {
      await this.prune(newestMs);
      prunedMs = newestMs;
    }
    // Last: if the writer stops before this, the event is applied again, and changes nothing.
    await updateOnce(this.state, STATE_ID, position, {
      $set: { newestAt: new Date(newestMs), prunedAt: new Date(prunedMs) },
    });
  }

  async aggregate(query: UsageAggregateQuery): Promise<UsageAggregateRow[]> {
    const groups = await this.buckets
      .aggregate<UsageGroupDocument>(aggregationPipeline(query))
      .toArray();
    return groups.map((group) => toAggregateRow(group, query.by));
  }

  private async prune(newestMs: number): Promise<void> {
    for (const granularity of GRANULARITIES) {
      const retention = this.retention[granularity];
      if (!Number.isFinite(retention)) continue;
      await this.buckets.deleteMany({
        granularity,
        bucket: { $lt: new Date(newestMs - retention) },
      });
    }
  }
}
