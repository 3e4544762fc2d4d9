import { Inject, Injectable } from '@nestjs/common';
import { BUCKET_MS, bucketStart, bucketStarts, type Granularity } from '../../domain/time-buckets';
import { ERROR_CLASSES } from '../../domain/usage-recorded';
import {
  USAGE_BUCKETS,
  type UsageAggregateRow,
  type UsageBuckets,
  type UsageDimension,
} from '../../read-models/usage-buckets.port';
import type { Anomaly, ErrorSample } from './anomaly';
import { errorRateJump } from './error-rate.rule';
import { newEndpoints } from './new-endpoint.rule';
import { volumeSpike } from './volume-spike.rule';

const HOUR_MS = BUCKET_MS.hour;
const BASELINE_HOURS = 24;

interface Period {
  readonly from: string;
  readonly to: string;
}

export interface AnomalyReport {
  readonly tenantId: string;
  /** The last hour: the 60 minutes up to and including the current one. */
  readonly window: Period;
  /** The 24 whole hours before the window's first hour. */
  readonly baseline: Period;
  readonly anomalies: readonly Anomaly[];
}

/**
 * Checks every key used in the last hour against its own past: its hourly volume over the
 * baseline, every endpoint it was ever used on, and its baseline error rate. A key with no use
 * before the window has no past to depart from and is not reported.
 */
@Injectable()
export class UsageAnomalyDetector {
  constructor(@Inject(USAGE_BUCKETS) private readonly buckets: UsageBuckets) {}

  async detect(tenantId: string, now: Date): Promise<AnomalyReport> {
    const windowTo = bucketStart(now.getTime(), 'minute') + BUCKET_MS.minute;
    const windowFrom = windowTo - HOUR_MS;
    const baselineTo = bucketStart(windowFrom, 'hour');
    const baselineFrom = baselineTo - BASELINE_HOURS * HOUR_MS;
    const dayStart = bucketStart(windowFrom, 'day');
    const query = (
      granularity: Granularity,
      from: number,
      to: number,
      by: readonly UsageDimension[],
    ) =>
      this.buckets.aggregate({
        tenantId,
        granularity,
        from: new Date(from),
        to: new Date(to),
        by,
      });
    const everUsedOn: UsageDimension[] = ['keyId', 'endpoint'];
    // "Ever before the window", from the coarsest buckets that hold each stretch of it.
    const [window, baseline, ...history] = await Promise.all([
      query('minute', windowFrom, windowTo, ['keyId', 'endpoint', 'status']),
      query('hour', baselineFrom, baselineTo, ['bucket', 'keyId', 'status']),
      query('day', 0, dayStart, everUsedOn),
      query('hour', dayStart, baselineTo, everUsedOn),
      query('minute', baselineTo, windowFrom, everUsedOn),
    ]);
    const seenBefore = endpointsByKey(history.flat());
    const baselineByKey = groupByKey(baseline);
    const anomalies: Anomaly[] = [];
    for (const [keyId, rows] of [...groupByKey(window)].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const seen = seenBefore.get(keyId);
      if (!seen) continue;
      const past = baselineByKey.get(keyId) ?? [];
      const hourly = bucketStarts(baselineFrom, baselineTo, 'hour').map(() => 0);
      for (const row of past) {
        hourly[(Date.parse(row.bucket as string) - baselineFrom) / HOUR_MS] += row.uses;
      }
      const spike = volumeSpike(sumUses(rows), hourly);
      if (spike) anomalies.push({ keyId, kind: 'volume_spike', figures: spike });
      const fresh = newEndpoints(usesByEndpoint(rows), seen);
      if (fresh) anomalies.push({ keyId, kind: 'new_endpoint', figures: fresh });
      const errors = errorRateJump(errorSample(rows), errorSample(past));
      if (errors) anomalies.push({ keyId, kind: 'error_rate', figures: errors });
    }
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      tenantId,
      window: { from: iso(windowFrom), to: iso(windowTo) },
      baseline: { from: iso(baselineFrom), to: iso(baselineTo) },
      anomalies,
    };
  }
}

function groupByKey(rows: readonly UsageAggregateRow[]): Map<string, UsageAggregateRow[]> {
  const byKey = new Map<string, UsageAggregateRow[]>();
  for (const row of rows) {
    const keyId = row.keyId as string;
    const list = byKey.get(keyId);
    if (list) list.push(row);
    else byKey.set(keyId, [row]);
  }
  return byKey;
}

function endpointsByKey(rows: readonly UsageAggregateRow[]): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>();
  for (const row of rows) {
    const keyId = row.keyId as string;
    const endpoints = seen.get(keyId) ?? new Set<string>();
    endpoints.add(row.endpoint as string);
    seen.set(keyId, endpoints);
  }
  return seen;
}

function usesByEndpoint(rows: readonly UsageAggregateRow[]): Map<string, number> {
  const uses = new Map<string, number>();
  for (const row of rows) {
    const endpoint = row.endpoint as string;
    uses.set(endpoint, (uses.get(endpoint) ?? 0) + row.uses);
  }
  return uses;
}

function sumUses(rows: readonly UsageAggregateRow[]): number {
  return rows.reduce((sum, row) => sum + row.uses, 0);
}

function errorSample(rows: readonly UsageAggregateRow[]): ErrorSample {
  let errors = 0;
  let known = 0;
  for (const row of rows) {
    if (row.status === 'unknown') continue;
    known += row.uses;
    if (row.status !== undefined && ERROR_CLASSES.has(row.status)) errors += row.uses;
  }
  return { errors, known };
}
