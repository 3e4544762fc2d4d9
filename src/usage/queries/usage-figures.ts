import { ERROR_CLASSES, STATUS_CLASSES, type StatusClass } from '../domain/usage-recorded';
import type { UsageAggregateRow } from '../read-models/usage-buckets.port';

/** What every usage answer says about a set of uses. */
export interface UsageFigures {
  readonly uses: number;
  /** Uses answered 4xx or 5xx. */
  readonly errors: number;
  /** errors ÷ uses with a known status (verify does not know it); null when there are none. */
  readonly errorRate: number | null;
  /** Mean of the latencies reported; null when none was. */
  readonly avgLatencyMs: number | null;
}

export type StatusCounts = Record<StatusClass, number>;

/** Running sums from which figures are read; rows must carry `status`. */
export class FigureSums {
  uses = 0;
  errors = 0;
  unknown = 0;
  latencyMsSum = 0;
  latencyCount = 0;
  readonly statuses: StatusCounts = zeroStatuses();

  add(row: UsageAggregateRow): this {
    this.uses += row.uses;
    this.latencyMsSum += row.latencyMsSum;
    this.latencyCount += row.latencyCount;
    if (row.status !== undefined) {
      this.statuses[row.status] += row.uses;
      if (ERROR_CLASSES.has(row.status)) this.errors += row.uses;
      if (row.status === 'unknown') this.unknown += row.uses;
    }
    return this;
  }

  addAll(rows: readonly UsageAggregateRow[]): this {
    for (const row of rows) this.add(row);
    return this;
  }

  figures(): UsageFigures {
    const known = this.uses - this.unknown;
    return {
      uses: this.uses,
      errors: this.errors,
      errorRate: known > 0 ? round(this.errors / known) : null,
      avgLatencyMs: this.latencyCount > 0 ? round(this.latencyMsSum / this.latencyCount) : null,
    };
  }
}

export function zeroStatuses(): StatusCounts {
  return Object.fromEntries(STATUS_CLASSES.map((status) => [status, 0])) as StatusCounts;
}

/** Sums rows per value of `field`, most uses first (ties by value, for stable answers). */
export function sumBy<F extends 'keyId' | 'endpoint' | 'status'>(
  rows: readonly UsageAggregateRow[],
  field: F,
): [string, FigureSums][] {
  const sums = new Map<string, FigureSums>();
  for (const row of rows) {
    const value = row[field] ?? '';
    let sum = sums.get(value);
    if (!sum) {
      sum = new FigureSums();
      sums.set(value, sum);
    }
    sum.add(row);
  }
  return [...sums].sort(([a, x], [b, y]) => y.uses - x.uses || (a < b ? -1 : a > b ? 1 : 0));
}

/** Four decimals: enough for a rate or a mean latency, and stable in JSON. */
export function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
