import type { KeyRecord } from '../read-models/key-directory.port';

/**
 * What a sink reads of the key a verification answered with (the index's VerifiableKey): the
 * object itself, and, the first time it sees it, the key's id and tenant.
 */
export interface VerifiedKey {
  readonly record: Pick<KeyRecord, 'keyId' | 'tenantId'>;
}

/**
 * Where verification counts a use the moment it answers VALID. Implementations sum in memory
 * and write later (SPEC §5: one event per flush, never one per request).
 */
export interface UsageSink {
  /**
   * Counts one use of `key` under `endpoint` at `atMs` (epoch ms), with status class `unknown`
   * (the caller's own answer is not known yet) and no latency. `key` is the object the
   * verification index answered with: an unchanged key is the same object on every use, which
   * lets a sink find the key's counter by identity instead of hashing its id. Synchronous,
   * allocation-free and never throwing: it runs on the verify hot path. A use that cannot be
   * kept is counted as dropped (a metric and a log line), never lost silently.
   */
  recordVerified(key: VerifiedKey, endpoint: string, atMs: number): void;
}

/** The endpoint a verify use is counted under when the verify request names none. */
export const VERIFY_ENDPOINT = 'verify';

export const USAGE_SINK = Symbol('UsageSink');
