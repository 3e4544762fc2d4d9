import type { Document } from 'mongodb';
import type { UsageAggregateQuery, UsageAggregateRow, UsageDimension } from '../usage-buckets.port';
import type { UsageBucketDocument } from './usage-bucket-documents';

/** A `$group` result: the dimensions' values in `_id` (null when grouped by nothing), sums. */
export interface UsageGroupDocument {
  readonly _id: Partial<Pick<UsageBucketDocument, UsageDimension>> | null;
  readonly uses: number;
  readonly latencyMsSum: number;
  readonly latencyCount: number;
}

/** The query as `$match` + `$group`: GROUP BY `by` over the buckets that start in [from, to). */
export function aggregationPipeline(query: UsageAggregateQuery): Document[] {
  const match: Document = {
    tenantId: query.tenantId,
    granularity: query.granularity,
    bucket: { $gte: query.from, $lt: query.to },
  };
  if (query.keyId !== undefined) match.keyId = query.keyId;
  const groupId =
    query.by.length === 0
      ? null
      : Object.fromEntries(query.by.map((dimension) => [dimension, `$${dimension}`]));
  return [
    { $match: match },
    {
      $group: {
        _id: groupId,
        uses: { $sum: '$uses' },
        latencyMsSum: { $sum: '$latencyMsSum' },
        latencyCount: { $sum: '$latencyCount' },
      },
    },
    { $match: { uses: { $gt: 0 } } },
  ];
}

/** A group as the port answers it: each dimension of `by` as a field, the bucket in ISO 8601. */
export function toAggregateRow(
  group: UsageGroupDocument,
  by: readonly UsageDimension[],
): UsageAggregateRow {
  const dimensions: Partial<Record<UsageDimension, string>> = {};
  for (const dimension of by) {
    const value = group._id?.[dimension];
    dimensions[dimension] = value instanceof Date ? value.toISOString() : value;
  }
  const { uses, latencyMsSum, latencyCount } = group;
  // `status` holds a StatusClass: only those are ever stored.
  return {
    ...(dimensions as Pick<UsageAggregateRow, UsageDimension>),
    uses,
    latencyMsSum,
    latencyCount,
  };
}
