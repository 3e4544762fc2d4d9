import { round } from '../usage-figures';
import type { AnomalyFigures, ErrorSample } from './anomaly';

export interface ErrorRateOptions {
  /** The last hour's error rate must reach this… */
  readonly threshold: number;
  /** …over at least this many uses with a known status… */
  readonly minKnown: number;
  /** …and be this many times the baseline's rate (a key that always fails this much is its norm). */
  readonly factor: number;
}

export const ERROR_RATE_DEFAULTS: ErrorRateOptions = { threshold: 0.25, minKnown: 20, factor: 2 };

/** Fires when the last hour's error rate is over the threshold and well above the baseline's. */
export function errorRateJump(
  lastHour: ErrorSample,
  baseline: ErrorSample,
  options: ErrorRateOptions = ERROR_RATE_DEFAULTS,
): AnomalyFigures | null {
  if (lastHour.known < options.minKnown) return null;
  const rate = lastHour.errors / lastHour.known;
  const baselineRate = baseline.known > 0 ? baseline.errors / baseline.known : null;
  if (rate < options.threshold) return null;
  if (baselineRate !== null && rate < baselineRate * options.factor) return null;
  return {
    lastHourErrorRate: round(rate),
    lastHourErrors: lastHour.errors,
    lastHourUsesWithStatus: lastHour.known,
    baselineErrorRate: baselineRate === null ? null : round(baselineRate),
    threshold: options.threshold,
  };
}
