import { round } from '../usage-figures';
import type { AnomalyFigures } from './anomaly';

export interface VolumeSpikeOptions {
  /** Below this many uses in the last hour nothing is a spike: small numbers are noise. */
  readonly minUses: number;
  /** The last hour must reach this multiple of the baseline's hourly mean… */
  readonly factor: number;
  /** …and stand this many standard deviations above it. */
  readonly sigmas: number;
}

export const VOLUME_SPIKE_DEFAULTS: VolumeSpikeOptions = { minUses: 100, factor: 3, sigmas: 3 };

/**
 * Fires when the last hour's uses exceed every bound: the floor, `factor` × the hourly mean of
 * the baseline and mean + `sigmas` × its standard deviation. `baselineHourly` holds one count per
 * baseline hour, zeros included. Returns the figures that triggered it, or null.
 */
export function volumeSpike(
  lastHourUses: number,
  baselineHourly: readonly number[],
  options: VolumeSpikeOptions = VOLUME_SPIKE_DEFAULTS,
): AnomalyFigures | null {
  if (baselineHourly.length === 0) return null;
  const mean = baselineHourly.reduce((sum, n) => sum + n, 0) / baselineHourly.length;
  const variance =
    baselineHourly.reduce((sum, n) => sum + (n - mean) ** 2, 0) / baselineHourly.length;
  const stdDev = Math.sqrt(variance);
  const threshold = Math.max(
    options.minUses,
    mean * options.factor,
    mean + options.sigmas * stdDev,
  );
  if (lastHourUses < threshold) return null;
  return {
    lastHourUses,
    baselineHourlyMean: round(mean),
    baselineHourlyStdDev: round(stdDev),
    ratio: mean > 0 ? round(lastHourUses / mean) : null,
    threshold: round(threshold),
  };
}
