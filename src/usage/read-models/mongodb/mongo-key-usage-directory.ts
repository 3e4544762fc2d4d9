import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import type { RecordedEvent } from '../../../event-store/event-store.port';
import { asDomainEvent } from '../../../event-store/recorded-events';
import type { ApiKeyCreated } from '../../../keys';
import { isDuplicateKey } from '../../../projections/mongodb/mongo-errors';
import type { MongoProjection } from '../../../projections/mongodb/mongo-projection';
import { forEachCount } from '../../domain/usage-encoding';
import type { UsageRecorded } from '../../domain/usage-recorded';
import type { KeyUsageDirectory } from '../key-usage-directory.port';

/** The tenant that created a key. */
interface KeyOwnerDocument {
  readonly _id: string;
  readonly tenantId: string;
}

/** The latest use of a key counted under a tenant. */
interface KeyLastUseDocument {
  /** `[tenantId, keyId]` as JSON. */
  readonly _id: string;
  readonly tenantId: string;
  readonly keyId: string;
  readonly lastUsedAt: Date;
}

export const KEY_OWNER_COLLECTION = 'key_owners';
export const KEY_LAST_USE_COLLECTION = 'key_last_uses';

/**
 * The key usage directory in MongoDB. Both kinds of write are idempotent by what they write, not
 * by position: an owner is inserted once (`$setOnInsert`) and a last use only ever grows
 * (`$max`), so a replayed event, in any order, matches its documents and modifies nothing.
 */
export class MongoKeyUsageDirectory implements KeyUsageDirectory, MongoProjection {
  readonly name = 'key-usage-directory';
  readonly filter = {
    streamPrefixes: ['apikey-', 'usage-'],
    eventTypes: ['ApiKeyCreated', 'UsageRecorded'],
  };
  private readonly keyOwners: Collection<KeyOwnerDocument>;
  private readonly lastUses: Collection<KeyLastUseDocument>;

  constructor(db: Db) {
    this.keyOwners = db.collection(KEY_OWNER_COLLECTION);
    this.lastUses = db.collection(KEY_LAST_USE_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.lastUses.createIndex({ tenantId: 1, keyId: 1 }, { name: 'tenant_key' });
  }

  async apply(event: RecordedEvent): Promise<void> {
    if (event.type === 'ApiKeyCreated') {
      const { keyId, tenantId } = asDomainEvent<ApiKeyCreated>(event).data;
      try {
        await this.keyOwners.updateOne(
          { _id: keyId },
          { $setOnInsert: { tenantId } },
          { upsert: true },
        );
      } catch (error) {
        // Another writer inserted the same owner a moment before: the key is owned already.
        if (!isDuplicateKey(error)) throw error;
      }
      return;
    }
    if (event.type !== 'UsageRecorded') return;
    const operations = latestUses(asDomainEvent<UsageRecorded>(event).data);
    if (operations.length > 0) await this.lastUses.bulkWrite(operations, { ordered: false });
  }

  async owners(keyIds: readonly string[]): Promise<Map<string, string>> {
    if (keyIds.length === 0) return new Map();
    const found = await this.keyOwners.find({ _id: { $in: [...keyIds] } }).toArray();
    return new Map(found.map((owner) => [owner._id, owner.tenantId]));
  }

  async lastUsed(tenantId: string, keyIds?: readonly string[]): Promise<Map<string, string>> {
    const found = await this.lastUses
      .find(keyIds ? { tenantId, keyId: { $in: [...keyIds] } } : { tenantId })
      .project<Pick<KeyLastUseDocument, 'keyId' | 'lastUsedAt'>>({
        _id: 0,
        keyId: 1,
        lastUsedAt: 1,
      })
      .toArray();
    return new Map(found.map((use) => [use.keyId, use.lastUsedAt.toISOString()]));
  }
}

/** One `$max` upsert per key and tenant of the event, with the latest of its uses. */
function latestUses(data: UsageRecorded['data']): AnyBulkWriteOperation<KeyLastUseDocument>[] {
  const latest = new Map<string, { tenantId: string; keyId: string; lastUsedMs: number }>();
  forEachCount(data, ({ tenantId, keyId, lastUsedMs }) => {
    const id = JSON.stringify([tenantId, keyId]);
    const known = latest.get(id);
    if (!known) latest.set(id, { tenantId, keyId, lastUsedMs });
    else if (lastUsedMs > known.lastUsedMs) known.lastUsedMs = lastUsedMs;
  });
  return Array.from(latest, ([id, use]) => ({
    updateOne: {
      filter: { _id: id },
      update: {
        $setOnInsert: { tenantId: use.tenantId, keyId: use.keyId },
        $max: { lastUsedAt: new Date(use.lastUsedMs) },
      },
      upsert: true,
    },
  }));
}
