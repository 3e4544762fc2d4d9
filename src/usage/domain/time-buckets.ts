/** The bucket sizes usage is kept in (SPEC: per minute, hour and day, in UTC). */
export type Granularity = 'minute' | 'hour' | 'day';

export const GRANULARITIES: readonly Granularity[] = ['minute', 'hour', 'day'];

export const BUCKET_MS: Readonly<Record<Granularity, number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** Start of the bucket holding `ms` (epoch milliseconds, UTC: days start at midnight UTC). */
export function bucketStart(ms: number, granularity: Granularity): number {
  const size = BUCKET_MS[granularity];
  return Math.floor(ms / size) * size;
}

/** Starts of every bucket that begins in [from, to), oldest first. */
export function bucketStarts(fromMs: number, toMs: number, granularity: Granularity): number[] {
  const size = BUCKET_MS[granularity];
  const starts: number[] = [];
  for (let start = Math.ceil(fromMs / size) * size; start < toMs; start += size) starts.push(start);
  return starts;
}
