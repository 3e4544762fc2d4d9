import type { ApiKeyFields, ApiKeyStatus } from '../domain/api-key.state';
import type { KeyEnvironment } from '../../shared/key-format';
import type { AllowList } from '../domain/restrictions';
import type { ScopeMatcher } from '../../shared/scope-matching';
import type { Projection } from '../../projections/projection';

/** A key as the read model holds it: the folded state plus the revision it reflects. */
export interface KeyRecord extends ApiKeyFields {
  /** Revision of the last event of the key's stream applied to this record. */
  readonly revision: number;
}

export interface KeyListQuery {
  readonly tenantId: string;
  readonly status?: ApiKeyStatus;
  readonly environment?: KeyEnvironment;
  readonly limit: number;
  /** Opaque, from a previous page's `nextCursor`. */
  readonly cursor?: string;
}

export interface KeyPage {
  readonly items: readonly KeyRecord[];
  readonly nextCursor: string | null;
}

/**
 * The key directory read model: keys by hash, by id and by tenant. Newest first in listings.
 * Applying an event whose revision the record already reflects changes nothing.
 */
export interface KeyDirectory extends Projection {
  findById(tenantId: string, keyId: string): Promise<KeyRecord | undefined>;
  /** The key whose SHA-256 is `keyHash` (hex), whatever its tenant or status. */
  findByHash(keyHash: string): Promise<KeyRecord | undefined>;
  /** `now` decides which keys count as expired when filtering by status. */
  list(query: KeyListQuery, now: Date): Promise<KeyPage>;
  count(): Promise<number>;
}

export const KEY_DIRECTORY = Symbol('KeyDirectory');

/** Everything verification needs, compiled when the key changes, not on every request. */
export interface VerifiableKey {
  readonly record: KeyRecord;
  readonly scopes: ScopeMatcher;
  readonly ips: AllowList | null;
  readonly origins: AllowList | null;
  /** Epoch ms from which the key answers EXPIRED (expiry or end of rotation grace). */
  readonly expiresAtMs: number;
  /** The same instant as ISO text (null: never), so that answers format nothing per request. */
  readonly expiresAtIso: string | null;
}

/**
 * The lookup on the verify hot path. The in-memory directory answers synchronously and never
 * touches the event store; the MongoDB cache answers from memory on a hit and returns a promise
 * only on a miss.
 *
 * A key that changed (revoked, rotated, updated) is handed out as a new `VerifiableKey` object,
 * never the same one mutated: the verifier keeps each key's VALID answer, and usage counting its
 * counter, by object identity.
 */
export interface VerificationIndex {
  lookup(keyHash: string): VerifiableKey | undefined | Promise<VerifiableKey | undefined>;
}

export const VERIFICATION_INDEX = Symbol('VerificationIndex');
