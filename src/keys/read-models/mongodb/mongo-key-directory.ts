import type { Collection, Db, Filter } from 'mongodb';
import { asDomainEvent } from '../../../event-store/recorded-events';
import type { RecordedEvent } from '../../../event-store/event-store.port';
import type { ApiKeyEvent, KeyMetadata } from '../../domain/api-key.events';
import {
  effectiveExpiry,
  evolveApiKey,
  initialApiKeyState,
  type ApiKeyFields,
} from '../../domain/api-key.state';
import type { KeyDirectory, KeyListQuery, KeyPage, KeyRecord } from '../key-directory.port';
import { decodeCursor, encodeCursor } from '../memory/key-cursor';
import { isDuplicateKey } from '../../../projections/mongodb/mongo-errors';
import type { MongoProjection } from '../../../projections/mongodb/mongo-projection';

/**
 * One key as stored: the record's fields in a fixed order (so that the same state is always the
 * same bytes), metadata as its JSON text (its keys are the customer's and may hold `$` or `.`),
 * and the effective expiry in epoch ms so that status filters run in the query.
 */
export interface KeyDocument extends Omit<KeyRecord, 'keyId' | 'metadata'> {
  readonly _id: string;
  readonly metadataJson: string | null;
  /** Expiry or end of rotation grace, whichever comes first; null: never. */
  readonly expiresAtMs: number | null;
}

export const KEY_COLLECTION = 'api_keys';

/**
 * The key directory in MongoDB: one document per key, unique index on the key hash, listing by
 * tenant newest first. Written by the instance that holds the projection lease; read by all.
 * Idempotent by stream revision: an event the document already reflects is skipped, and a write
 * only lands on the revision it was folded from, so replays never touch a document.
 */
export class MongoKeyDirectory implements KeyDirectory, MongoProjection {
  readonly name = 'key-directory';
  readonly filter = { streamPrefixes: ['apikey-'] };
  readonly keys: Collection<KeyDocument>;

  constructor(db: Db) {
    this.keys = db.collection<KeyDocument>(KEY_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.keys.createIndexes([
      { key: { keyHash: 1 }, name: 'keyHash_unique', unique: true },
      { key: { tenantId: 1, createdAt: -1, _id: 1 }, name: 'tenant_newest_first' },
    ]);
  }

  async apply(event: RecordedEvent): Promise<void> {
    const keyId = (event.data as { keyId?: string }).keyId ?? event.stream.slice('apikey-'.length);
    const revision = Number(event.revision);
    // A creation needs no read: inserting twice is refused by the unique _id index.
    const stored = revision === 0 ? null : await this.keys.findOne({ _id: keyId });
    if (stored ? revision <= stored.revision : revision !== 0) return;
    const before = stored ? { exists: true as const, ...toRecord(stored) } : initialApiKeyState;
    const state = evolveApiKey(
      before,
      asDomainEvent<ApiKeyEvent>(event),
      event.metadata.occurredAt,
    );
    if (!state.exists) return;
    const document = toDocument(state, revision);
    if (!stored) {
      try {
        await this.keys.insertOne(document);
      } catch (error) {
        // Already applied (by this writer before a restart, or by one that just lost its lease).
        if (!isDuplicateKey(error)) throw error;
      }
      return;
    }
    // Lands only on the revision it was folded from: a concurrent writer's newer state stays.
    await this.keys.replaceOne({ _id: keyId, revision: stored.revision }, document);
  }

  async findById(tenantId: string, keyId: string): Promise<KeyRecord | undefined> {
    const stored = await this.keys.findOne({ _id: keyId, tenantId });
    return stored ? toRecord(stored) : undefined;
  }

  async findByHash(keyHash: string): Promise<KeyRecord | undefined> {
    const stored = await this.keys.findOne({ keyHash });
    return stored ? toRecord(stored) : undefined;
  }

  async list(query: KeyListQuery, now: Date): Promise<KeyPage> {
    const nowMs = now.getTime();
    const conditions: Filter<KeyDocument>[] = [{ tenantId: query.tenantId }];
    if (query.environment) conditions.push({ environment: query.environment });
    if (query.status === 'revoked') conditions.push({ revokedAt: { $ne: null } });
    if (query.status === 'expired')
      conditions.push({ revokedAt: null, expiresAtMs: { $ne: null, $lte: nowMs } });
    if (query.status === 'active') {
      conditions.push({
        revokedAt: null,
        $or: [{ expiresAtMs: null }, { expiresAtMs: { $gt: nowMs } }],
      });
    }
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      conditions.push({
        $or: [
          { createdAt: { $lt: after.createdAt } },
          { createdAt: after.createdAt, _id: { $gt: after.keyId } },
        ],
      });
    }
    const filter = conditions.length === 1 ? conditions[0] : { $and: conditions };
    const found = await this.keys
      .find(filter)
      .sort({ createdAt: -1, _id: 1 })
      .limit(query.limit + 1)
      .toArray();
    const items = found.slice(0, query.limit).map(toRecord);
    const last = items.at(-1);
    const nextCursor = found.length > query.limit && last ? encodeCursor(last) : null;
    return { items, nextCursor };
  }

  count(): Promise<number> {
    return this.keys.countDocuments({});
  }
}

function toDocument(fields: ApiKeyFields, revision: number): KeyDocument {
  const expiry = effectiveExpiry(fields);
  return {
    _id: fields.keyId,
    tenantId: fields.tenantId,
    name: fields.name,
    environment: fields.environment,
    kind: fields.kind,
    scopes: fields.scopes,
    expiresAt: fields.expiresAt,
    rateLimit: fields.rateLimit && {
      limit: fields.rateLimit.limit,
      windowSeconds: fields.rateLimit.windowSeconds,
    },
    allowedIps: fields.allowedIps,
    allowedOrigins: fields.allowedOrigins,
    metadataJson: fields.metadata === null ? null : JSON.stringify(fields.metadata),
    keyHash: fields.keyHash,
    hint: fields.hint,
    createdAt: fields.createdAt,
    createdBy: fields.createdBy,
    rotatedFrom: fields.rotatedFrom,
    revokedAt: fields.revokedAt,
    revocationReason: fields.revocationReason,
    rotatedTo: fields.rotatedTo,
    graceEndsAt: fields.graceEndsAt,
    updatedAt: fields.updatedAt,
    revision,
    expiresAtMs: expiry === null ? null : Date.parse(expiry),
  };
}

/** The record in the same field order as the memory adapter's, so answers look alike. */
export function toRecord(document: KeyDocument): KeyRecord {
  return {
    keyId: document._id,
    tenantId: document.tenantId,
    name: document.name,
    environment: document.environment,
    kind: document.kind,
    scopes: document.scopes,
    expiresAt: document.expiresAt,
    rateLimit: document.rateLimit,
    allowedIps: document.allowedIps,
    allowedOrigins: document.allowedOrigins,
    metadata:
      document.metadataJson === null ? null : (JSON.parse(document.metadataJson) as KeyMetadata),
    keyHash: document.keyHash,
    hint: document.hint,
    createdAt: document.createdAt,
    createdBy: document.createdBy,
    rotatedFrom: document.rotatedFrom,
    revokedAt: document.revokedAt,
    revocationReason: document.revocationReason,
    rotatedTo: document.rotatedTo,
    graceEndsAt: document.graceEndsAt,
    updatedAt: document.updatedAt,
    revision: document.revision,
  };
}
