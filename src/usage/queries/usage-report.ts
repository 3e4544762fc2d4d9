import { Inject, Injectable } from '@nestjs/common';
import { bucketStart, bucketStarts, type Granularity } from '../domain/time-buckets';
import {
  KEY_USAGE_DIRECTORY,
  type KeyUsageDirectory,
} from '../read-models/key-usage-directory.port';
import {
  USAGE_BUCKETS,
  type UsageAggregateRow,
  type UsageBuckets,
} from '../read-models/usage-buckets.port';
import { FigureSums, sumBy, type StatusCounts, type UsageFigures } from './usage-figures';

export type UsageGroupBy = 'key' | 'endpoint' | 'status';

export interface UsageReportQuery {
  readonly tenantId: string;
  readonly keyId?: string;
  readonly granularity: Granularity;
  /** Rounded down to the start of its bucket. */
  readonly from: Date;
  readonly to: Date;
  readonly groupBy?: UsageGroupBy;
}

export type UsageGroup = UsageFigures & { readonly [field: string]: string | number | null };

export interface UsagePoint extends UsageFigures {
  readonly bucket: string;
  readonly groups?: readonly UsageGroup[];
}

export interface UsageReportAnswer {
  readonly tenantId: string;
  readonly keyId: string | null;
  readonly granularity: Granularity;
  readonly from: string;
  readonly to: string;
  readonly groupBy: UsageGroupBy | null;
  readonly totals: UsageFigures & { readonly statuses: StatusCounts };
  readonly topEndpoints: readonly (UsageFigures & { readonly endpoint: string })[];
  /** Of the key when one is asked for, else the latest use of any key of the tenant. */
  readonly lastUsedAt: string | null;
  /** One point per bucket of the range, oldest first, zero when there were no uses. */
  readonly series: readonly UsagePoint[];
}

const TOP_ENDPOINTS = 10;
const GROUP_FIELD = { key: 'keyId', endpoint: 'endpoint', status: 'status' } as const;

/** The usage time series of a tenant or key: totals, error rates, top endpoints, last use. */
@Injectable()
export class UsageReport {
  constructor(
    @Inject(USAGE_BUCKETS) private readonly buckets: UsageBuckets,
    @Inject(KEY_USAGE_DIRECTORY) private readonly keys: KeyUsageDirectory,
  ) {}

  async answer(query: UsageReportQuery): Promise<UsageReportAnswer> {
    const { tenantId, keyId, granularity, groupBy } = query;
    const from = new Date(bucketStart(query.from.getTime(), granularity));
    const range = { tenantId, keyId, granularity, from, to: query.to };
    const field = groupBy ? GROUP_FIELD[groupBy] : undefined;
    const [rows, endpointRows, lastUsed] = await Promise.all([
      this.buckets.aggregate({
        ...range,
        by: field && field !== 'status' ? ['bucket', 'status', field] : ['bucket', 'status'],
      }),
      this.buckets.aggregate({ ...range, by: ['endpoint', 'status'] }),
      this.keys.lastUsed(tenantId, keyId === undefined ? undefined : [keyId]),
    ]);
    const totals = new FigureSums();
    const byBucket = new Map<string, UsageAggregateRow[]>();
    for (const row of rows) {
      totals.add(row);
      const bucket = row.bucket as string;
      const list = byBucket.get(bucket);
      if (list) list.push(row);
      else byBucket.set(bucket, [row]);
    }
    const series = bucketStarts(from.getTime(), query.to.getTime(), granularity).map((start) => {
      const bucket = new Date(start).toISOString();
      const bucketRows = byBucket.get(bucket) ?? [];
      const point: UsagePoint = { bucket, ...new FigureSums().addAll(bucketRows).figures() };
      if (!field) return point;
      const groups = sumBy(bucketRows, field).map(([value, sums]) => ({
        [field]: value,
        ...sums.figures(),
      }));
      return { ...point, groups };
    });
    return {
      tenantId,
      keyId: keyId ?? null,
      granularity,
      from: from.toISOString(),
      to: query.to.toISOString(),
      groupBy: groupBy ?? null,
      totals: { ...totals.figures(), statuses: totals.statuses },
      topEndpoints: sumBy(endpointRows, 'endpoint')
        .slice(0, TOP_ENDPOINTS)
        .map(([endpoint, sums]) => ({ endpoint, ...sums.figures() })),
      lastUsedAt: latest(lastUsed.values()),
      series,
    };
  }
}

function latest(values: Iterable<string>): string | null {
  let newest: string | null = null;
  for (const value of values) if (newest === null || value > newest) newest = value;
  return newest;
}
