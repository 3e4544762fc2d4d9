import type { DocumentUpdate, ProjectedDocument } from '../../../projections/mongodb/apply-once';
import { bucketStart, GRANULARITIES, type Granularity } from '../../domain/time-buckets';
import { forEachCount } from '../../domain/usage-encoding';
import type { StatusClass, UsageRecorded } from '../../domain/usage-recorded';

/** The sums of one key × endpoint × status class within one bucket, as stored. */
export interface UsageBucketDocument extends ProjectedDocument {
  readonly tenantId: string;
  readonly granularity: Granularity;
  /** Bucket start. */
  readonly bucket: Date;
  readonly keyId: string;
  readonly endpoint: string;
  readonly status: StatusClass;
  readonly uses: number;
  readonly latencyMsSum: number;
  readonly latencyCount: number;
  /** `positionKey` of the last event added (see `updateOnce`). */
  readonly appliedAt: string;
}

interface BucketSum {
  readonly tenantId: string;
  readonly granularity: Granularity;
  readonly bucketMs: number;
  readonly keyId: string;
  readonly endpoint: string;
  readonly status: StatusClass;
  uses: number;
  latencyMsSum: number;
  latencyCount: number;
}

/**
 * A bucket document's id: the same for the same bucket whichever event adds to it, so that
 * upserts meet. JSON keeps the parts apart whatever characters an endpoint holds.
 */
export function bucketId(
  granularity: Granularity,
  bucketMs: number,
  count: {
    readonly tenantId: string;
    readonly keyId: string;
    readonly status: StatusClass;
    readonly endpoint: string;
  },
): string {
  return JSON.stringify([
    granularity,
    bucketMs,
    count.tenantId,
    count.keyId,
    count.status,
    count.endpoint,
  ]);
}

/**
 * What one UsageRecorded event adds to each bucket document it touches: its counters summed
 * per document first, so that each document gets one update per event (an event's minutes
 * often share an hour and a day, and `updateEachOnce` takes each document once).
 */
export function bucketUpdates(data: UsageRecorded['data']): DocumentUpdate[] {
  const sums = new Map<string, BucketSum>();
  forEachCount(data, (count) => {
    for (const granularity of GRANULARITIES) {
      const bucketMs = bucketStart(count.minuteMs, granularity);
      const id = bucketId(granularity, bucketMs, count);
      let sum = sums.get(id);
      if (!sum) {
        const { tenantId, keyId, endpoint, status } = count;
        sum = {
          tenantId,
          granularity,
          bucketMs,
          keyId,
          endpoint,
          status,
          uses: 0,
          latencyMsSum: 0,
          latencyCount: 0,
        };
        sums.set(id, sum);
      }
      sum.uses += count.uses;
      sum.latencyMsSum += count.latencyMsSum;
      sum.latencyCount += count.latencyCount;
    }
  });
  return Array.from(sums, ([id, sum]) => ({
    id,
    update: {
      $setOnInsert: {
        tenantId: sum.tenantId,
        granularity: sum.granularity,
        bucket: new Date(sum.bucketMs),
        keyId: sum.keyId,
        endpoint: sum.endpoint,
        status: sum.status,
      },
      $inc: { uses: sum.uses, latencyMsSum: sum.latencyMsSum, latencyCount: sum.latencyCount },
    },
  }));
}
