import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { standInPerFile } from '../support/mongodb-standin/standin-fixture';

/**
 * Unique indexes on the MongoDB stand-in: E11000 as the driver reports it from MongoDB, which
 * is what the read models' idempotent writes (duplicate key = already applied) rely on.
 */
describe('MongoDB stand-in unique indexes', () => {
  const session = standInPerFile('unique');

  it('refuses duplicates in a unique index and in _id with E11000', async () => {
    const owners = session.db.collection('owners');
    await owners.createIndex({ email: 1 }, { unique: true });
    await owners.insertOne({ _id: 'o1', email: 'a@x' } as never);

    const duplicateEmail = owners.insertOne({ _id: 'o2', email: 'a@x' } as never);
    const duplicateId = owners.insertOne({ _id: 'o1', email: 'b@x' } as never);
    const collidingUpsert = owners.updateOne(
      { _id: 'o3' } as never,
      { $set: { email: 'a@x' } },
      { upsert: true },
    );

    await expect(duplicateEmail).rejects.toMatchObject({
      code: 11000,
      keyValue: { email: 'a@x' },
      message: expect.stringContaining('index: email_1 dup key: { email: "a@x" }'),
    });
    await expect(duplicateId).rejects.toBeInstanceOf(MongoServerError);
    await expect(duplicateId).rejects.toMatchObject({ code: 11000, keyPattern: { _id: 1 } });
    await expect(collidingUpsert).rejects.toMatchObject({ code: 11000 });
    expect(await owners.countDocuments()).toBe(1);
  });

  it('treats a conditional upsert that misses an existing _id as a duplicate key', async () => {
    const projected = session.db.collection('projected');
    await projected.insertOne({ _id: 'p', appliedAt: '0002' } as never);

    const replay = projected.updateOne(
      { _id: 'p', appliedAt: { $lt: '0002' } } as never,
      { $set: { appliedAt: '0002' }, $inc: { n: 1 } },
      { upsert: true },
    );

    await expect(replay).rejects.toMatchObject({ code: 11000 });
    expect(await projected.findOne({ _id: 'p' } as never)).toEqual({ _id: 'p', appliedAt: '0002' });
  });

  it('lists a compound index and fails a unique index over existing duplicates', async () => {
    const buckets = session.db.collection('buckets');
    await buckets.insertMany([
      { t: 1, k: 'a' },
      { t: 1, k: 'a' },
    ]);
    const name = await buckets.createIndex({ t: 1, k: -1 }, { name: 'by_tenant_key' });
    await buckets.createIndex({ t: 1, k: -1 }, { name: 'by_tenant_key' });

    const indexes = await buckets.listIndexes().toArray();
    const unique = buckets.createIndex({ k: 1 }, { unique: true });

    expect(name).toBe('by_tenant_key');
    expect(indexes.map((index) => [String(index.name), index.key as unknown])).toEqual([
      ['_id_', { _id: 1 }],
      ['by_tenant_key', { t: 1, k: -1 }],
    ]);
    await expect(unique).rejects.toMatchObject({ code: 11000 });
    expect(await buckets.listIndexes().toArray()).toHaveLength(2);
  });

  it('stops an ordered bulk write at a duplicate, and an unordered one goes on', async () => {
    const bulk = session.db.collection('bulk');
    const insert = (id: string) => ({ insertOne: { document: { _id: id } as never } });

    const ordered = bulk.bulkWrite([insert('a'), insert('a'), insert('b')]);
    await expect(ordered).rejects.toBeInstanceOf(MongoBulkWriteError);
    await expect(ordered).rejects.toMatchObject({ code: 11000, insertedCount: 1 });
    const unordered = bulk.bulkWrite([insert('c'), insert('a'), insert('d')], { ordered: false });

    await expect(unordered).rejects.toMatchObject({ insertedCount: 2 });
    expect((await bulk.find({}).toArray()).map((document) => document._id)).toEqual([
      'a',
      'c',
      'd',
    ]);
  });
});
