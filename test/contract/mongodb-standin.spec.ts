import { BSON, Double, Int32, Long, MongoClient } from 'mongodb';
import { standInPerFile } from '../support/mongodb-standin/standin-fixture';

/**
 * The MongoDB stand-in through the official driver over a real socket: what Keyledger's
 * MongoDB read models rely on behaves as on a standalone MongoDB server.
 */
describe('MongoDB stand-in, through the mongodb driver', () => {
  const session = standInPerFile();

  it('answers ping and a handshake as a standalone server', async () => {
    expect(await session.db.command({ ping: 1 })).toEqual({ ok: 1 });
    const hello = await session.db.admin().command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, maxWireVersion: 21, ok: 1 });
    expect(hello.setName).toBeUndefined();
  });

  it('finds with a filter, sort, skip, limit and projection', async () => {
    const keys = session.db.collection('keys');
    await keys.insertOne({ _id: 'k1', tenant: 't1', uses: 5, label: 'a' } as never);
    await keys.insertMany([
      { _id: 'k2', tenant: 't1', uses: 9, label: 'b' },
      { _id: 'k3', tenant: 't2', uses: 7, label: 'c' },
      { _id: 'k4', tenant: 't1', uses: 1, label: 'd' },
    ] as never[]);

    const found = await keys
      .find({ tenant: 't1', uses: { $gte: 2 } })
      .sort({ uses: -1 })
      .limit(5)
      .project({ label: 1, _id: 0 })
      .toArray();
    const page = await keys.find({}).sort({ _id: 1 }).skip(1).limit(2).toArray();

    expect(found).toEqual([{ label: 'b' }, { label: 'a' }]);
    expect(page.map((key) => key._id)).toEqual(['k2', 'k3']);
    expect(await keys.findOne({ _id: 'k9' } as never)).toBeNull();
  });

  it('hands a result larger than a batch out over getMore', async () => {
    const rows = session.db.collection('rows');
    await rows.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const before = session.standIn.commandCounts.get('getMore') ?? 0;

    const all = await rows.find({}, { batchSize: 100 }).sort({ i: 1 }).toArray();

    expect(all.map((row) => Number(row.i))).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect((session.standIn.commandCounts.get('getMore') ?? 0) - before).toBe(2);
    expect(session.standIn.openCursors).toBe(0);
  });

  it('updates with $set, $inc, $max and $setOnInsert, and upserts from the filter', async () => {
    const usage = session.db.collection('usage');
    const upserted = await usage.updateOne(
      { _id: 'u1', tenant: 't1' } as never,
      { $setOnInsert: { firstSeen: 1 }, $inc: { count: 2 }, $max: { last: 10 } },
      { upsert: true },
    );
    const updated = await usage.updateOne({ _id: 'u1' } as never, {
      $setOnInsert: { firstSeen: 99 },
      $inc: { count: 3 },
      $max: { last: 4 },
      $set: { tenant: 't1' },
    });

    expect(upserted).toMatchObject({ upsertedId: 'u1', upsertedCount: 1, matchedCount: 0 });
    expect(updated).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await usage.findOne({ _id: 'u1' } as never)).toEqual({
      _id: 'u1',
      tenant: 't1',
      count: 5,
      firstSeen: 1,
      last: 10,
    });
    const unchanged = await usage.updateOne({ _id: 'u1' } as never, { $max: { last: 3 } });
    expect(unchanged).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  it('keeps field order as MongoDB does: existing fields in place, new ones appended by name', async () => {
    const order = session.db.collection('order');
    await order.insertOne({ b: 1, c: 1, _id: 'o1' } as never);
    await order.updateOne({ _id: 'o1' } as never, { $set: { z: 1, b: 2, y: 1 } });
    await order.updateOne({ _id: 'o2', m: 1 } as never, { $set: { a: 1 } }, { upsert: true });

    const [first, second] = await order.find({}).toArray();

    expect(Object.keys(first)).toEqual(['_id', 'b', 'c', 'y', 'z']);
    expect(first.b).toBe(2);
    expect(Object.keys(second)).toEqual(['_id', 'm', 'a']);
  });

  it('round-trips Int32, Int64 and Double byte for byte, and types $inc results like MongoDB', async () => {
    const numbers = session.db.collection('numbers');
    const document = {
      _id: 'n',
      int: new Int32(1),
      long: Long.fromNumber(2),
      double: new Double(3),
    };
    await numbers.insertOne(document as never);
    const stored = await numbers.findOne({ _id: 'n' } as never, { raw: true });
    expect(Buffer.compare(stored as unknown as Buffer, BSON.serialize(document))).toBe(0);

    await numbers.updateOne({ _id: 'n' } as never, {
      $inc: { int: 2 ** 31 - 1, long: 1, double: 1, added: 1 },
    });
    const typed = await numbers.findOne({ _id: 'n' } as never, { promoteValues: false });

    expect(typed?.int).toEqual(Long.fromNumber(2 ** 31));
    expect(typed?.long).toEqual(Long.fromNumber(3));
    expect(typed?.double).toEqual(new Double(4));
    expect(typed?.added).toEqual(new Int32(1));
  });

  it('replaces with upsert, and finds-and-updates returning the document after', async () => {
    const directory = session.db.collection('directory');
    await directory.replaceOne({ _id: 'd1' } as never, { owner: 'ann' }, { upsert: true });
    await directory.replaceOne({ _id: 'd1' } as never, { owner: 'bob', active: true });

    const after = await directory.findOneAndUpdate(
      { _id: 'd2', tenant: 't' } as never,
      { $set: { owner: 'cy' } },
      { upsert: true, returnDocument: 'after' },
    );

    expect(await directory.findOne({ _id: 'd1' } as never)).toEqual({
      _id: 'd1',
      owner: 'bob',
      active: true,
    });
    expect(after).toEqual({ _id: 'd2', tenant: 't', owner: 'cy' });
  });

  it('deletes, counts and aggregates with $match, $group and $sort', async () => {
    const calls = session.db.collection('calls');
    await calls.insertMany([
      { key: 'a', status: 200 },
      { key: 'a', status: 500 },
      { key: 'b', status: 200 },
      { key: 'b', status: 200 },
      { key: 'c', status: 200 },
    ]);

    const deleted = await calls.deleteMany({ key: 'c' });
    const counted = await calls.countDocuments({ status: 200 });
    const grouped = await calls
      .aggregate([
        { $match: { status: 200 } },
        { $group: { _id: '$key', calls: { $sum: 1 } } },
        { $sort: { calls: -1 } },
      ])
      .toArray();

    expect(deleted.deletedCount).toBe(1);
    expect(counted).toBe(3);
    expect(grouped).toEqual([
      { _id: 'b', calls: 2 },
      { _id: 'a', calls: 1 },
    ]);
  });

  it('shows one client the writes of another', async () => {
    const other = new MongoClient(session.standIn.url, { serverSelectionTimeoutMS: 2_000 });
    try {
      await session.db.collection('shared').insertOne({ _id: 's', by: 'first' } as never);
      const seen = await other.db(session.db.databaseName).collection('shared').findOne({});
      expect(seen).toEqual({ _id: 's', by: 'first' });
    } finally {
      await other.close();
    }
  });
});
