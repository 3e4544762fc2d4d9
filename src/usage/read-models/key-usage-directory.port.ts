import type { Projection } from '../../projections/projection';

/**
 * Per API key, which tenant owns it and when it was last used: for checking reported usage and
 * for `lastUsedAt`. Fed by ApiKeyCreated (owner, set once) and UsageRecorded (latest use, kept
 * as a maximum), so applying any event twice, in any order, changes nothing. `lastUsedAt` is as
 * recent as the last flush (SPEC: accurate to the flush interval). Contract:
 * `test/contract/usage-key-directory.contract.ts`.
 */
export interface KeyUsageDirectory extends Projection {
  /** The owning tenant of each of `keyIds` that exists; unknown ids are absent from the map. */
  owners(keyIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * ISO `lastUsedAt` of the tenant's keys that were ever used: of `keyIds` only when given.
   * A key of another tenant is absent, as if never used.
   */
  lastUsed(tenantId: string, keyIds?: readonly string[]): Promise<Map<string, string>>;
}

export const KEY_USAGE_DIRECTORY = Symbol('KeyUsageDirectory');
