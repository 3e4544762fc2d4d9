import {
  effectiveExpiry,
  type ApiKeyFields,
  type ApiKeyStatus,
  type KeyMetadata,
} from '../../domain/api-key.state';
import type { KeyRecord } from '../key-directory.port';
import { KeyHashIndex } from './key-hash-index';
import { canonicalIsoMillis } from '../../../columnar/iso-millis';
import { KeyIdIndex } from './key-id-index';
import { KeyProfiles, type KeyProfile, type ProfileFields } from './key-profiles';
import { NumberColumn } from '../../../columnar/number-column';
import { TextRows } from '../../../columnar/text-rows';

const NAME = 0;
const HINT = 1;
/** The metadata as JSON text. */
const METADATA = 2;
/** Null while it equals `createdAt`, as it does until the key's first change. */
const UPDATED_AT = 3;
const EXPIRES_AT = 4;
const TEXT_COLUMNS = 5;

/** Fields most keys never set (revocation, rotation), held only for the keys that do. */
interface RareFields {
  readonly revokedAt: string | null;
  readonly revocationReason: string | null;
  readonly rotatedFrom: string | null;
  readonly rotatedTo: string | null;
  readonly graceEndsAt: string | null;
}

/**
 * The key directory's keys, column by column, one row per key in the order keys were created:
 * text packed in `TextRows`, numbers in typed arrays, the id and the hash as bytes in their
 * indexes, shared settings in `KeyProfiles`, fields most keys never set in a sparse map. A key
 * takes some 150 bytes, next to nothing of which the garbage collector has to trace, where an
 * object graph per key took 700. Records are made on request.
 */
export class KeyTable {
  private readonly text = new TextRows(TEXT_COLUMNS);
  private readonly profiles = new KeyProfiles();
  private readonly ids = new KeyIdIndex();
  private readonly hashes = new KeyHashIndex();
  private readonly profileNumbers = new NumberColumn((n) => new Uint32Array(n));
  private readonly revisions = new NumberColumn((n) => new Uint32Array(n));
  /** `createdAt` as epoch ms; NaN when the text is not what `toISOString` gives for it. */
  private readonly createdAtMillis = new NumberColumn((n) => new Float64Array(n));
  private readonly irregularCreatedAt = new Map<number, string>();
  private readonly rare = new Map<number, RareFields>();
  private rows = 0;

  get size(): number {
    return this.rows;
  }

  rowOfId(keyId: string): number {
    return this.ids.find(keyId);
  }

  rowOfHash(keyHash: string): number {
    return this.hashes.find(keyHash);
  }

  /** Adds a key the table does not hold yet; returns its row. */
  insert(fields: ApiKeyFields, revision: number): number {
    const row = this.rows++;
    this.ids.add(row, fields.keyId);
    this.hashes.add(row, fields.keyHash);
    const createdAtMs = canonicalIsoMillis(fields.createdAt);
    this.createdAtMillis.set(row, createdAtMs);
    if (Number.isNaN(createdAtMs)) this.irregularCreatedAt.set(row, fields.createdAt);
    this.write(row, fields, revision, undefined);
    return row;
  }

  /**
   * Stores the key's new state. `previous` is what `record(row)` returned before the change;
   * the id, hash and creation time of a key never change.
   */
  update(row: number, previous: KeyRecord, fields: ApiKeyFields, revision: number): void {
    this.write(row, fields, revision, previous);
  }

  /** A plain, complete record of the key in `row`. */
  record(row: number): KeyRecord {
    const profile = this.profile(row);
    const rare = this.rare.get(row);
    const createdAt = this.createdAt(row);
    return {
      keyId: this.keyId(row),
      tenantId: profile.tenantId,
      name: this.name(row),
      environment: profile.environment,
      kind: profile.kind,
      scopes: profile.scopes,
      expiresAt: this.expiresAt(row),
      rateLimit: profile.rateLimit,
      allowedIps: profile.allowedIps,
      allowedOrigins: profile.allowedOrigins,
      metadata: this.metadata(row),
      keyHash: this.keyHash(row),
      hint: this.hint(row),
      createdAt,
      createdBy: profile.createdBy,
      rotatedFrom: rare?.rotatedFrom ?? null,
      revokedAt: rare?.revokedAt ?? null,
      revocationReason: rare?.revocationReason ?? null,
      rotatedTo: rare?.rotatedTo ?? null,
      graceEndsAt: rare?.graceEndsAt ?? null,
      updatedAt: this.text.get(row, UPDATED_AT) ?? createdAt,
      revision: this.revisions.get(row),
    };
  }

  profile(row: number): KeyProfile {
    return this.profiles.get(this.profileNumbers.get(row));
  }

  revision(row: number): number {
    return this.revisions.get(row);
  }

  /** The moment the key stops verifying on its own (`effectiveExpiry`), or null: never. */
  expiry(row: number): string | null {
    return effectiveExpiry({
      expiresAt: this.expiresAt(row),
      graceEndsAt: this.rare.get(row)?.graceEndsAt ?? null,
    });
  }

  keyId(row: number): string {
    return this.ids.idOf(row);
  }

  name(row: number): string {
    return this.required(row, NAME);
  }

  hint(row: number): string {
    return this.required(row, HINT);
  }

  /** `createdAt` as epoch ms, or NaN when only its text gives it back exactly. */
  createdAtMs(row: number): number {
    return this.createdAtMillis.get(row);
  }

  createdAt(row: number): string {
    const ms = this.createdAtMillis.get(row);
    return Number.isNaN(ms) ? (this.irregularCreatedAt.get(row) ?? '') : new Date(ms).toISOString();
  }

  updatedAt(row: number): string {
    return this.updatedAtIfChanged(row) ?? this.createdAt(row);
  }

  expiresAt(row: number): string | null {
    return this.text.get(row, EXPIRES_AT);
  }

  metadata(row: number): KeyMetadata | null {
    const json = this.metadataJson(row);
    return json === null ? null : (JSON.parse(json) as KeyMetadata);
  }

  /** The metadata as the JSON text it is kept as; null: none. */
  metadataJson(row: number): string | null {
    return this.text.get(row, METADATA);
  }

  /** `updatedAt` as kept: null while it is `createdAt`. */
  updatedAtIfChanged(row: number): string | null {
    return this.text.get(row, UPDATED_AT);
  }

  keyHash(row: number): string {
    return this.hashes.hashOf(row);
  }

  rareFields(row: number): RareFields | undefined {
    return this.rare.get(row);
  }

  /** `deriveStatus` of the key at `nowMs`, from the columns. */
  status(row: number, nowMs: number): ApiKeyStatus {
    if ((this.rare.get(row)?.revokedAt ?? null) !== null) return 'revoked';
    // As `deriveStatus`; computed here rather than kept: only listings by status need it.
    const expiry = this.expiry(row);
    return expiry !== null && Date.parse(expiry) <= nowMs ? 'expired' : 'active';
  }

  private write(
    row: number,
    fields: ApiKeyFields,
    revision: number,
    previous: KeyRecord | undefined,
  ): void {
    const metadata =
      previous !== undefined && previous.metadata === fields.metadata
        ? this.text.get(row, METADATA)
        : fields.metadata && JSON.stringify(fields.metadata);
    this.text.write(row, [
      fields.name,
      fields.hint,
      metadata,
      fields.updatedAt === fields.createdAt ? null : fields.updatedAt,
      fields.expiresAt,
    ]);
    if (previous === undefined || profileChanged(previous, fields)) {
      this.profileNumbers.set(row, this.profiles.intern(fields));
    }
    this.revisions.set(row, revision);
    const { revokedAt, revocationReason, rotatedFrom, rotatedTo, graceEndsAt } = fields;
    if (
      revokedAt !== null ||
      revocationReason !== null ||
      rotatedFrom !== null ||
      rotatedTo !== null ||
      graceEndsAt !== null
    ) {
      this.rare.set(row, { revokedAt, revocationReason, rotatedFrom, rotatedTo, graceEndsAt });
    } else if (previous !== undefined) {
      this.rare.delete(row);
    }
  }

  private required(row: number, column: number): string {
    const value = this.text.get(row, column);
    if (value === null) throw new Error(`Key row ${row} has no value in column ${column}`);
    return value;
  }
}

const PROFILE_FIELDS: readonly (keyof ProfileFields)[] = [
  'tenantId',
  'environment',
  'kind',
  'scopes',
  'rateLimit',
  'allowedIps',
  'allowedOrigins',
  'createdBy',
];

/** Profile fields are shared instances, so a field the event did not touch is the same one. */
function profileChanged(previous: KeyRecord, fields: ApiKeyFields): boolean {
  return PROFILE_FIELDS.some((field) => previous[field] !== fields[field]);
}
