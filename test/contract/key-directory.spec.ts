import { randomBytes, randomUUID } from 'node:crypto';
import { BSON } from 'bson';
import type { Db } from 'mongodb';
import { MemoryKeyDirectory } from '../../src/keys/read-models/memory/memory-key-directory';
import {
  KEY_COLLECTION,
  MongoKeyDirectory,
} from '../../src/keys/read-models/mongodb/mongo-key-directory';
import { apiKeyCreated, apiKeyRevoked, apiKeyRotated } from '../support/factories';
import { KeyEventLog } from '../support/key-events';
import { MONGODB_SERVER_LABEL, useTestMongo } from '../support/mongodb-test-server';
import { keyDirectoryContract } from './key-directory.contract';

keyDirectoryContract('memory', () =>
  Promise.resolve({ directory: new MemoryKeyDirectory(), cleanup: () => Promise.resolve() }),
);

describe('on MongoDB', () => {
  const mongo = useTestMongo();
  keyDirectoryContract(MONGODB_SERVER_LABEL, async () => {
    const db = mongo.freshDatabase();
    const directory = new MongoKeyDirectory(db);
    await directory.ensureIndexes();
    return { directory, cleanup: () => mongo.drop(db) };
  });

  /** Every document of the collection as BSON bytes, in `_id` order. */
  const snapshot = async (db: Db) =>
    (await db.collection(KEY_COLLECTION).find({}).sort({ _id: 1 }).toArray()).map((d) =>
      Buffer.from(BSON.serialize(d)).toString('hex'),
    );

  it(`${MONGODB_SERVER_LABEL}: replaying any range twice leaves documents byte-identical`, async () => {
    const db = mongo.freshDatabase();
    const directory = new MongoKeyDirectory(db);
    await directory.ensureIndexes();
    const log = new KeyEventLog();
    for (let i = 0; i < 6; i++) {
      const key = apiKeyCreated({
        keyId: randomUUID(),
        keyHash: randomBytes(32).toString('hex'),
        metadata: { n: i, half: i / 2 },
      }).data;
      log.add({ type: 'ApiKeyCreated', data: key });
      if (i % 2 === 0) log.add(apiKeyRotated(key));
      if (i % 3 === 0) log.add(apiKeyRevoked(key, { reason: 'test' }));
    }
    for (const event of log.events) await directory.apply(event);
    const once = await snapshot(db);
    for (const event of log.events.slice(3, 9)) await directory.apply(event);
    for (const event of log.events) await directory.apply(event);
    expect(await snapshot(db)).toEqual(once);
    expect(once).toHaveLength(6);
    await mongo.drop(db);
  });

  it(`${MONGODB_SERVER_LABEL}: two keys cannot share a hash (unique index)`, async () => {
    const db = mongo.freshDatabase();
    const directory = new MongoKeyDirectory(db);
    await directory.ensureIndexes();
    const indexes = await db.collection(KEY_COLLECTION).listIndexes().toArray();
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: { keyHash: 1 }, unique: true }),
        expect.objectContaining({ key: { tenantId: 1, createdAt: -1, _id: 1 } }),
      ]),
    );
    await mongo.drop(db);
  });
});
