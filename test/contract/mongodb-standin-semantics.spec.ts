import { ObjectId, type Collection, type Db, type Document } from 'mongodb';
import { standInPerFile } from '../support/mongodb-standin/standin-fixture';

/** Finer MongoDB rules the stand-in follows: query matching, update operators, errors, catalog. */
describe('MongoDB stand-in semantics', () => {
  const session = standInPerFile('semantics');
  let db: Db;
  let things: Collection<Document>;

  beforeEach(() => {
    db = session.db;
    things = db.collection('things');
  });

  const ids = async (filter: Document) =>
    (await things.find(filter).sort({ _id: 1 }).toArray()).map((thing) => thing._id as unknown);

  it('matches comparisons within a type, arrays by element, and missing fields as null', async () => {
    await things.insertMany([
      { _id: 1, v: 5 },
      { _id: 2, v: '5' },
      { _id: 3, v: [1, 9] },
      { _id: 4 },
      { _id: 5, v: null },
      { _id: 6, v: { w: 7 } },
      { _id: 7, v: [{ w: 3 }, { w: 8 }] },
    ] as never[]);

    expect(await ids({ v: { $gt: 4 } })).toEqual([1, 3]);
    expect(await ids({ v: { $lt: 'a' } })).toEqual([2]);
    expect(await ids({ v: 9 })).toEqual([3]);
    expect(await ids({ v: null })).toEqual([4, 5]);
    expect(await ids({ v: { $ne: 5 } })).toEqual([2, 3, 4, 5, 6, 7]);
    expect(await ids({ 'v.w': { $gte: 7 } })).toEqual([6, 7]);
    expect(await ids({ $or: [{ v: 5 }, { 'v.w': 3 }] })).toEqual([1, 7]);
    expect(await ids({ v: { $in: [null, '5'] } })).toEqual([2, 4, 5]);
  });

  it('sorts in natural order, and upserts from $and, $eq and one-value $in in path order', async () => {
    await things.insertMany([{ _id: 'b' }, { _id: 'a' }] as never[]);
    const filter = { $and: [{ z: 1 }], _id: { $in: ['u'] }, a: { $eq: 2 }, b: { $gt: 1 } };

    await things.updateOne(filter as never, { $set: { c: 3 } }, { upsert: true });
    const upserted = await things.findOne({ _id: 'u' } as never);
    const reversed = await things.find({}).sort({ $natural: -1 }).toArray();

    expect(upserted).toEqual({ _id: 'u', a: 2, z: 1, c: 3 });
    expect(Object.keys(upserted ?? {})).toEqual(['_id', 'a', 'z', 'c']);
    expect(reversed.map((thing) => String(thing._id))).toEqual(['u', 'a', 'b']);
  });

  it('applies $unset, $rename, $mul, $min, $push with $each and $slice, $addToSet and $pull', async () => {
    await things.insertOne({
      _id: 'a',
      gone: 1,
      old: 'x',
      n: 3,
      low: 5,
      tags: ['t1'],
      list: [1, 2, 3],
    } as never);

    const update = (change: Document) => things.updateOne({ _id: 'a' } as never, change);
    await update({
      $unset: { gone: '' },
      $rename: { old: 'renamed' },
      $mul: { n: 2 },
      $min: { low: 2 },
      $push: { list: { $each: [4, 5], $slice: -3 } },
      $addToSet: { tags: { $each: ['t1', 't2'] } },
    });
    await update({ $pull: { list: { $gte: 5 } } });

    expect(await things.findOne({ _id: 'a' } as never)).toEqual({
      _id: 'a',
      n: 6,
      low: 2,
      tags: ['t1', 't2'],
      list: [3, 4],
      renamed: 'x',
    });
  });

  it('reports update errors with MongoDB codes', async () => {
    await things.insertOne({ _id: 'e', n: 'text', scalar: 1 } as never);
    const update = (change: Document) => things.updateOne({ _id: 'e' } as never, change);

    await expect(update({ $inc: { n: 1 } })).rejects.toMatchObject({ code: 14 });
    await expect(update({ $set: { 'scalar.inner': 1 } })).rejects.toMatchObject({ code: 28 });
    await expect(update({ $set: { _id: 'other' } })).rejects.toMatchObject({ code: 66 });
    await expect(update({ $set: { a: 1 }, $inc: { 'a.b': 1 } })).rejects.toMatchObject({
      code: 40,
    });
    await expect(update({ $set: { 'list.$': 1 } })).rejects.toMatchObject({ code: 238 });
    await expect(db.command({ frobnicate: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
    });
  });

  it('keeps a sparse unique index to the documents that have the field', async () => {
    await things.createIndex({ email: 1 }, { unique: true, sparse: true });
    await things.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3, email: 'a' }] as never[]);
    const strict = db.collection('strict');
    await strict.createIndex({ email: 1 }, { unique: true });
    await strict.insertOne({ _id: 1 } as never);

    await expect(things.insertOne({ _id: 4, email: 'a' } as never)).rejects.toMatchObject({
      code: 11000,
    });
    await expect(strict.insertOne({ _id: 2 } as never)).rejects.toMatchObject({
      code: 11000,
      keyValue: { email: null },
    });
  });

  it('counts, lists distinct values, and finds-and-deletes the first by sort', async () => {
    await things.insertMany([
      { _id: new ObjectId(), kind: 'a', at: 3 },
      { _id: new ObjectId(), kind: ['b', 'a'], at: 1 },
      { _id: new ObjectId(), kind: 'c', at: 2 },
    ]);

    expect(await things.estimatedDocumentCount()).toBe(3);
    expect((await things.distinct('kind')).sort()).toEqual(['a', 'b', 'c']);
    expect(
      await things.findOneAndDelete({}, { sort: { at: 1 }, projection: { at: 1, _id: 0 } }),
    ).toEqual({
      at: 1,
    });
    expect(await things.countDocuments()).toBe(2);
  });

  it('creates, lists and drops collections, indexes and databases', async () => {
    await db.createCollection('made');
    await things.createIndex({ at: -1 });
    await expect(db.createCollection('made')).rejects.toMatchObject({ code: 48 });

    const names = (await db.listCollections().toArray()).map((info) => info.name).sort();
    await things.dropIndex('at_-1');
    const indexes = await things.listIndexes().toArray();
    const listed = await session.client.db().admin().listDatabases();
    await db.collection('made').drop();
    const remaining = (await db.listCollections({}, { nameOnly: true }).toArray()).map(
      (info) => info.name,
    );
    await db.dropDatabase();

    expect(names).toEqual(['made', 'things']);
    expect(indexes.map((index) => String(index.name))).toEqual(['_id_']);
    expect(listed.databases.map((database) => database.name)).toContain(db.databaseName);
    expect(remaining).toEqual(['things']);
    expect(await db.listCollections().toArray()).toEqual([]);
  });
});
