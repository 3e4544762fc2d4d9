import type { StatusClass } from '../domain/usage-recorded';

/**
 * Where a use is counted the moment it happens. Implementations sum in memory and write later
 * (SPEC §5: one event per flush, never one per request).
 */
export interface UsageSink {
  /**
   * Counts one use of `keyId` at `atMs` (epoch ms). Synchronous, allocation-light and never
   * throwing: it runs on the verify hot path. A use that cannot be kept is counted as dropped
   * (a metric and a log line), never lost silently.
   */
  record(
    keyId: string,
    tenantId: string,
    endpoint: string,
    status: StatusClass,
    atMs: number,
    latencyMs?: number,
  ): void;
}

export const USAGE_SINK = Symbol('UsageSink');
