import type { AnomalyFigures } from './anomaly';

/**
 * Fires when the key was used in the last hour on an endpoint it had never been used on before.
 * A key with no use at all before the last hour has no baseline to depart from: quiet.
 */
export function newEndpoints(
  lastHour: ReadonlyMap<string, number>,
  seenBefore: ReadonlySet<string>,
): AnomalyFigures | null {
  if (seenBefore.size === 0) return null;
  const fresh = [...lastHour]
    .filter(([endpoint, uses]) => uses > 0 && !seenBefore.has(endpoint))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([endpoint, uses]) => ({ endpoint, uses }));
  if (fresh.length === 0) return null;
  return { newEndpoints: fresh, endpointsSeenBefore: seenBefore.size };
}
