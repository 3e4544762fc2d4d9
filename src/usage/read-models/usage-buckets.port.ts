import type { Projection } from '../../projections/projection';
import type { Granularity } from '../domain/time-buckets';
import type { StatusClass } from '../domain/usage-recorded';

/** What rows are grouped by, as in SQL's GROUP BY; none gives a single row of sums. */
export type UsageDimension = 'bucket' | 'keyId' | 'endpoint' | 'status';

export interface UsageAggregateQuery {
  readonly tenantId: string;
  /** Only this key's uses; absent: every key of the tenant. */
  readonly keyId?: string;
  readonly granularity: Granularity;
  /** Buckets that start in [from, to). */
  readonly from: Date;
  readonly to: Date;
  readonly by: readonly UsageDimension[];
}

/** Sums over one group. A dimension's field is present exactly when it is in `by`. */
export interface UsageAggregateRow {
  /** Bucket start, ISO 8601. */
  readonly bucket?: string;
  readonly keyId?: string;
  readonly endpoint?: string;
  readonly status?: StatusClass;
  readonly uses: number;
  readonly latencyMsSum: number;
  readonly latencyCount: number;
}

/**
 * Usage buckets of every key, per minute, hour and day, by endpoint and status class: the read
 * model behind usage queries, fed by UsageRecorded events. Contract
 * (`test/contract/usage-buckets.contract.ts`):
 * - idempotent by position: an event at or before the last applied global position changes
 *   nothing, so replaying the stream twice leaves the sums as they were;
 * - retention is measured from the newest event applied, not from the wall clock, so a rebuild
 *   gives the same buckets as the live model did; buckets past retention are gone;
 * - rows with no uses are not returned; row order is unspecified.
 */
export interface UsageBuckets extends Projection {
  aggregate(query: UsageAggregateQuery): Promise<UsageAggregateRow[]>;
}

export const USAGE_BUCKETS = Symbol('UsageBuckets');

/** How long buckets are kept, in milliseconds; Infinity keeps them forever. */
export type UsageRetention = Readonly<Record<Granularity, number>>;
