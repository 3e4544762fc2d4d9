import { effectiveExpiry, type KeyMetadata } from '../../domain/api-key.state';
import type { KeyRecord, VerifiableKey } from '../key-directory.port';
import type { KeyTable } from './key-table';

/** Accessors shared by every view (as `StoredEvent`'s): no closure per view, one shape for all. */
const accessor = (get: (view: KeyRecordView) => unknown): PropertyDescriptor => ({
  get(this: KeyRecordView) {
    return get(this);
  },
  enumerable: true,
  configurable: false,
});
const METADATA = accessor((view) => KeyRecordView.metadataOf(view));
const CREATED_AT = accessor((view) => KeyRecordView.createdAtOf(view));
const UPDATED_AT = accessor((view) => KeyRecordView.updatedAtOf(view));

/**
 * A key's record as verification reads it, as the key was when the view was made and never
 * changed after: the table rewrites a key's row in place, so the view reads from it only what a
 * key never changes (`createdAt`). Every field is an own, enumerable property in `KeyRecord`
 * order, so spreading the view, `Object.keys`, `JSON.stringify` and `toEqual` see the plain
 * record (getters on the prototype would be lost by a spread).
 *
 * Fields are values, copied or decoded when the view is made, except three that verification
 * never reads and that cost most to make, which are accessors shared by every view: `metadata`
 * (kept as its JSON text, parsed on first read) and `createdAt` and `updatedAt` (formatted on
 * first read); each read gives the same value. Measured on the 2-core development machine (AMD
 * EPYC, Node 20): defining such an accessor took about 0.3 µs, parsing small metadata about 0.75
 * and formatting an instant over 1; decoding a short text (name, hint) took 0.2 to 0.25, less
 * than an accessor, so those are decoded.
 */
export class KeyRecordView implements KeyRecord {
  // Declared, not initialised, so that the fields keep the order the constructor gives them.
  declare readonly keyId: string;
  declare readonly tenantId: string;
  declare readonly name: string;
  declare readonly environment: KeyRecord['environment'];
  declare readonly kind: KeyRecord['kind'];
  declare readonly scopes: readonly string[];
  declare readonly expiresAt: string | null;
  declare readonly rateLimit: KeyRecord['rateLimit'];
  declare readonly allowedIps: readonly string[] | null;
  declare readonly allowedOrigins: readonly string[] | null;
  declare readonly metadata: KeyMetadata | null;
  declare readonly keyHash: string;
  declare readonly hint: string;
  declare readonly createdAt: string;
  declare readonly createdBy: string;
  declare readonly rotatedFrom: string | null;
  declare readonly revokedAt: string | null;
  declare readonly revocationReason: string | null;
  declare readonly rotatedTo: string | null;
  declare readonly graceEndsAt: string | null;
  declare readonly updatedAt: string;
  declare readonly revision: number;
  readonly #table: KeyTable;
  readonly #row: number;
  readonly #metadataJson: string | null;
  readonly #updatedAt: string | null;
  #metadata: KeyMetadata | null | undefined = undefined;
  #createdAt: string | undefined = undefined;

  /** `keyHash` is the row's, as the caller looked it up: formatting it again costs microseconds. */
  constructor(table: KeyTable, row: number, keyHash: string) {
    const profile = table.profile(row);
    const rare = table.rareFields(row);
    this.#table = table;
    this.#row = row;
    this.#metadataJson = table.metadataJson(row);
    this.#updatedAt = table.updatedAtIfChanged(row);
    this.keyId = table.keyId(row);
    this.tenantId = profile.tenantId;
    this.name = table.name(row);
    this.environment = profile.environment;
    this.kind = profile.kind;
    this.scopes = profile.scopes;
    this.expiresAt = table.expiresAt(row);
    this.rateLimit = profile.rateLimit;
    this.allowedIps = profile.allowedIps;
    this.allowedOrigins = profile.allowedOrigins;
    Object.defineProperty(this, 'metadata', METADATA);
    this.keyHash = keyHash;
    this.hint = table.hint(row);
    Object.defineProperty(this, 'createdAt', CREATED_AT);
    this.createdBy = profile.createdBy;
    this.rotatedFrom = rare?.rotatedFrom ?? null;
    this.revokedAt = rare?.revokedAt ?? null;
    this.revocationReason = rare?.revocationReason ?? null;
    this.rotatedTo = rare?.rotatedTo ?? null;
    this.graceEndsAt = rare?.graceEndsAt ?? null;
    Object.defineProperty(this, 'updatedAt', UPDATED_AT);
    this.revision = table.revision(row);
  }

  static metadataOf(view: KeyRecordView): KeyMetadata | null {
    if (view.#metadata === undefined) {
      const json = view.#metadataJson;
      view.#metadata = json === null ? null : (JSON.parse(json) as KeyMetadata);
    }
    return view.#metadata;
  }

  static createdAtOf(view: KeyRecordView): string {
    return (view.#createdAt ??= view.#table.createdAt(view.#row));
  }

  static updatedAtOf(view: KeyRecordView): string {
    return view.#updatedAt ?? KeyRecordView.createdAtOf(view);
  }

  /** A plain copy: what spreading the view gives. */
  toJSON(): KeyRecord {
    return { ...this };
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

  /** The key in `row`, whose hash is `keyHash`. */
  get(row: number, keyHash: string): VerifiableKey {
    const known = this.made.get(row);
    if (known !== undefined) return known;
    if (this.made.size >= this.capacity) this.dropOldest();
    const made = this.make(row, keyHash);
    this.made.set(row, made);
    return made;
  }

  /** Forgets what was made for `row`: its key changed. */
  forget(row: number): void {
    this.made.delete(row);
  }

  private make(row: number, keyHash: string): VerifiableKey {
    const profile = this.table.profile(row);
    const record = new KeyRecordView(this.table, row, keyHash);
    const expiry = effectiveExpiry(record);
    return {
      record,
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
