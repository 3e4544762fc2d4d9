/** What key views add about a key's usage. */
export interface KeyUsageFields {
  /** The latest use, as recent as the last flush; null if the key was never used. */
  readonly lastUsedAt: string | null;
}

/**
 * When each key was last used: the keys feature shows it on key views, the usage feature keeps
 * it (and provides this port), so keys never depends on usage.
 */
export interface KeyLastUse {
  /** lastUsedAt of each of the tenant's `keyIds`; a key never used is absent. */
  lastUsed(tenantId: string, keyIds: readonly string[]): Promise<Map<string, string>>;
  lastUsedOf(tenantId: string, keyId: string): Promise<KeyUsageFields>;
}

export const KEY_LAST_USE = Symbol('KeyLastUse');
