import type { KeyRecord, VerifiableKey } from '../key-directory.port';
import type { KeyProfile } from './key-profiles';
import type { KeyTable } from './key-table';

/**
 * A key's record as verification reads it: what every answer needs (id, tenant, scopes, rate
 * limit, revocation) is held; the rest is read from the table when asked for. It is a view of
 * the key as it was when made: the cache below drops it when the key changes. Its properties
 * are getters on the prototype, so spreading it copies only a few: use `toJSON()` (what
 * `JSON.stringify` calls) or the directory's `findById` for a plain record.
 */
export class KeyRecordView implements KeyRecord {
  readonly keyId: string;
  readonly revokedAt: string | null;
  readonly revision: number;
  readonly #table: KeyTable;
  readonly #row: number;
  readonly #profile: KeyProfile;

  constructor(table: KeyTable, row: number) {
    this.#table = table;
    this.#row = row;
    this.#profile = table.profile(row);
    this.keyId = table.keyId(row);
    this.revokedAt = table.rareFields(row)?.revokedAt ?? null;
    this.revision = table.revision(row);
  }

  get tenantId(): string {
    return this.#profile.tenantId;
  }
  get environment(): KeyRecord['environment'] {
    return this.#profile.environment;
  }
  get kind(): KeyRecord['kind'] {
    return this.#profile.kind;
  }
  get scopes(): readonly string[] {
    return this.#profile.scopes;
  }
  get rateLimit(): KeyRecord['rateLimit'] {
    return this.#profile.rateLimit;
  }
  get allowedIps(): readonly string[] | null {
    return this.#profile.allowedIps;
  }
  get allowedOrigins(): readonly string[] | null {
    return this.#profile.allowedOrigins;
  }
  get createdBy(): string {
    return this.#profile.createdBy;
  }
  get name(): string {
    return this.#table.name(this.#row);
  }
  get expiresAt(): string | null {
    return this.#table.expiresAt(this.#row);
  }
  get metadata(): KeyRecord['metadata'] {
    return this.#table.metadata(this.#row);
  }
  get keyHash(): string {
    return this.#table.keyHash(this.#row);
  }
  get hint(): string {
    return this.#table.hint(this.#row);
  }
  get createdAt(): string {
    return this.#table.createdAt(this.#row);
  }
  get updatedAt(): string {
    return this.#table.updatedAt(this.#row);
  }
  get rotatedFrom(): string | null {
    return this.#table.rareFields(this.#row)?.rotatedFrom ?? null;
  }
  get revocationReason(): string | null {
    return this.#table.rareFields(this.#row)?.revocationReason ?? null;
  }
  get rotatedTo(): string | null {
    return this.#table.rareFields(this.#row)?.rotatedTo ?? null;
  }
  get graceEndsAt(): string | null {
    return this.#table.rareFields(this.#row)?.graceEndsAt ?? null;
  }

  toJSON(): KeyRecord {
    return this.#table.record(this.#row);
  }
}

/**
 * What `lookup` hands to verification, made on first use after a change and kept for the
 * `capacity` keys used last (oldest made, first dropped): hot keys allocate nothing per request,
 * and memory does not grow with the number of keys ever verified.
 */
export class VerifiableKeys {
  private readonly made = new Map<number, VerifiableKey>();

  constructor(
    private readonly table: KeyTable,
    private readonly capacity: number,
  ) {}

  get(row: number): VerifiableKey {
    const known = this.made.get(row);
    if (known !== undefined) return known;
    if (this.made.size >= this.capacity) this.dropOldest();
    const made = this.make(row);
    this.made.set(row, made);
    return made;
  }

  /** Forgets what was made for `row`: its key changed. */
  forget(row: number): void {
    this.made.delete(row);
  }

  private make(row: number): VerifiableKey {
    const profile = this.table.profile(row);
    const expiry = this.table.expiry(row);
    return {
      record: new KeyRecordView(this.table, row),
      scopes: profile.scopeMatcher,
      ips: profile.ips,
      origins: profile.origins,
      expiresAtMs: expiry === null ? Number.POSITIVE_INFINITY : Date.parse(expiry),
      expiresAtIso: expiry === null ? null : new Date(expiry).toISOString(),
    };
  }

  private dropOldest(): void {
    const oldest = this.made.keys().next();
    if (!oldest.done) this.made.delete(oldest.value);
  }
}
