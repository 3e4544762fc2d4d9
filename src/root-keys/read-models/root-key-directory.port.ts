import type { RateLimitSetting } from '../../shared/fixed-window-limiter';
import type { TenantBinding } from '../domain/abilities';
import type { ScopeMatcher } from '../../shared/scope-matching';
import type { Projection } from '../../projections/projection';

export interface RootKeyRecord {
  readonly rootKeyId: string;
  readonly name: string;
  readonly abilities: readonly string[];
  readonly tenants: TenantBinding;
  readonly rateLimit: RateLimitSetting | null;
  readonly hint: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  readonly revision: number;
}

/** A root key ready for the authentication guard: abilities compiled once. */
export interface AuthenticatableRootKey {
  readonly record: RootKeyRecord;
  readonly abilities: ScopeMatcher;
}

/** Root keys by hash (synchronous: authentication runs on every request) and by id. */
export interface RootKeyDirectory extends Projection {
  lookup(keyHash: string): AuthenticatableRootKey | undefined;
  findById(rootKeyId: string): RootKeyRecord | undefined;
}

export const ROOT_KEY_DIRECTORY = Symbol('RootKeyDirectory');
