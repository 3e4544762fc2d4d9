import { ValidationFailed } from '../../shared/errors';
import { BUCKET_MS, bucketStart, type Granularity } from '../domain/time-buckets';
import type { UsageQueryDto } from './usage.dto';

/** Most points one series answer may hold: a day of minutes. */
export const MAX_SERIES_POINTS = 1440;

/** How far back a query goes when `from` is not given: 60 minutes, 24 hours or 30 days. */
const DEFAULT_POINTS: Record<Granularity, number> = { minute: 60, hour: 24, day: 30 };

export interface UsageRange {
  readonly granularity: Granularity;
  readonly from: Date;
  readonly to: Date;
}

/** The range a usage query asks for, with its defaults, or a 400 naming what is wrong. */
export function usageRange(query: UsageQueryDto, now: Date): UsageRange {
  const granularity = query.granularity ?? 'hour';
  const size = BUCKET_MS[granularity];
  const to = query.to ? new Date(query.to) : now;
  const from = query.from
    ? new Date(query.from)
    : new Date(bucketStart(to.getTime(), granularity) - (DEFAULT_POINTS[granularity] - 1) * size);
  const refuse = (field: string, message: string): never => {
    throw new ValidationFailed('Invalid usage range', [{ field, message }]);
  };
  if (from.getTime() >= to.getTime()) refuse('from', 'from must be before to');
  const points = Math.ceil((to.getTime() - bucketStart(from.getTime(), granularity)) / size);
  if (points > MAX_SERIES_POINTS) {
    refuse(
      'granularity',
      `the range holds ${points} ${granularity} buckets; at most ${MAX_SERIES_POINTS} per query`,
    );
  }
  return { granularity, from, to };
}
