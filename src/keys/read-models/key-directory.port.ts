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
 * only on a miss. A hash no key has gives `undefined`; a revoked or expired key is found (the
 * verifier refuses it).
 *
 * Object identity, which the verifier's VALID answers, the HTTP answer text and usage counting
 * rely on (pinned for every adapter by `test/contract/verification-index.contract.ts`):
 * - Never mutated: a `VerifiableKey` once handed out, its `record` and what they hold keep the
 *   values they had, for as long as anyone holds them. They are not frozen: readonly by type,
 *   and no consumer may write to them either.
 * - New on change: once the index has applied an event that changed the key (any event at a
 *   revision the key did not yet reflect), `lookup` hands out a new `VerifiableKey` with a new
 *   `record`.
 * - Same while unchanged: until then, `lookup` hands out the same object, whatever happens to
 *   other keys and however often events it already reflects are delivered again, for as long as
 *   the index keeps it. An index of bounded memory may drop it and later hand out a new, equal
 *   object (the memory directory keeps its most recently made views, the MongoDB cache its
 *   `maxEntries` keys and only answers it can trust): a new object does not mean "changed", only
 *   the same object means "unchanged".
 * - `record` is a complete `KeyRecord`: every field an own, enumerable property, so a spread or
 *   `JSON.stringify` of it gives the plain record.
 */
export interface VerificationIndex {
  lookup(keyHash: string): VerifiableKey | undefined | Promise<VerifiableKey | undefined>;
}

export const VERIFICATION_INDEX = Symbol('VerificationIndex');
