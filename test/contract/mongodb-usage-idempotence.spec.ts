import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { MemoryUsageBuckets } from '../../src/usage/read-models/memory/memory-usage-buckets';
import { MongoKeyUsageDirectory } from '../../src/usage/read-models/mongodb/mongo-key-usage-directory';
import {
  MongoUsageBuckets,
  USAGE_BUCKETS_STATE_COLLECTION,
} from '../../src/usage/read-models/mongodb/mongo-usage-buckets';
import type { UsageBuckets, UsageRetention } from '../../src/usage/read-models/usage-buckets.port';
import { MONGODB_SERVER_LABEL, useTestMongo } from '../support/mongodb-test-server';
import { usageEntry, UsageEventLog } from '../support/usage-events';

const HOUR_MS = 3_600_000;
const RETENTION: UsageRetention = {
  minute: 48 * HOUR_MS,
  hour: 90 * 24 * HOUR_MS,
  day: Number.POSITIVE_INFINITY,
};
const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/**
 * Every document of every collection in `db`, as the server's BSON bytes (no decoding, so that
 * a number stored as a double instead of an int shows), by collection name and `_id`.
 */
async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  const documents: Record<string, string[]> = {};
  for (const { name } of collections.sort((a, b) => a.name.localeCompare(b.name))) {
    const raw = await db
      .collection(name)
      .find({}, { sort: { _id: 1 }, raw: true })
      .toArray();
    // With `raw`, the cursor yields each document's bytes (its typings do not say so).
    documents[name] = raw.map((bytes) =>
      Buffer.from(bytes as unknown as Uint8Array).toString('hex'),
    );
  }
  return documents;
}

/** Keys of two tenants used over three days, with a pause longer than minute retention. */
function usageHistory(): UsageEventLog {
  const log = new UsageEventLog();
  const tenants = [`a-${randomUUID().slice(0, 8)}`, `b-${randomUUID().slice(0, 8)}`];
  const keys = [0, 1, 2, 3].map(() => randomUUID());
  keys.forEach((keyId, i) => log.keyCreated(keyId, tenants[i % 2]));
  const flush = (minute: number) =>
    log.add(
      keys.flatMap((keyId, i) => [
        // Two minutes of one flush share their hour and day buckets.
        usageEntry({ tenantId: tenants[i % 2], keyId, minute: at(minute), uses: i + 1 }),
        usageEntry({
          tenantId: tenants[i % 2],
          keyId,
          endpoint: `GET /items/${i}`,
          status: i === 3 ? '5xx' : '2xx',
          minute: at(minute + 1),
          lastUsedAt: new Date(Date.parse(at(minute + 1)) + 1_000 * i).toISOString(),
          uses: 2,
          latencyMsSum: 17 * i,
          latencyCount: i,
        }),
      ]),
    );
  for (let i = 0; i < 8; i++) flush(i * 97);
  for (let i = 0; i < 4; i++) flush(49 * 60 + i * 131); // prunes the first five flushes' minutes
  return log;
}

describe(`MongoDB usage read models (${MONGODB_SERVER_LABEL})`, () => {
  const mongo = useTestMongo();
  let db: Db;

  beforeEach(() => {
    db = mongo.freshDatabase();
  });
  afterEach(() => mongo.drop(db));

  const openModels = async () => {
    const models = [new MongoUsageBuckets(db, RETENTION), new MongoKeyUsageDirectory(db)];
    await Promise.all(models.map((model) => model.ensureIndexes()));
    return {
      apply: async (events: readonly RecordedEvent[]) => {
        for (const event of events) {
          for (const model of models) await model.apply(event);
        }
      },
    };
  };

  it('leaves every document byte-identical when a range, then the whole log, is replayed', async () => {
    const { events } = usageHistory();
    const models = await openModels();
    await models.apply(events);
    const applied = await snapshot(db);
    expect(Object.keys(applied)).toEqual([
      'key_last_uses',
      'key_owners',
      'usage_buckets',
      USAGE_BUCKETS_STATE_COLLECTION,
    ]);
    expect(applied.key_owners).toHaveLength(4);
    expect(applied.usage_buckets.length).toBeGreaterThan(50);

    await models.apply(events.slice(5, 13)); // flushes 1 to 8: pruned minutes among them
    expect(await snapshot(db)).toEqual(applied);
    await models.apply(events);
    expect(await snapshot(db)).toEqual(applied);
  });

  it('changes nothing when the writer applies an event again because it stopped before recording it', async () => {
    const { events } = usageHistory();
    const models = await openModels();
    await models.apply(events.slice(0, -1));
    const state = db.collection(USAGE_BUCKETS_STATE_COLLECTION);
    const before = await state.findOne({});
    await models.apply(events.slice(-1));
    const applied = await snapshot(db);
    // As if the writer had stopped between the bucket writes and the state update.
    await state.replaceOne({ _id: before?._id }, before ?? {});
    expect(await snapshot(db)).not.toEqual(applied);

    await (await openModels()).apply(events.slice(-1));
    expect(await snapshot(db)).toEqual(applied);
  });

  it('measures retention from the newest event applied before a restart, as a rebuild does', async () => {
    const tenantId = `r-${randomUUID().slice(0, 8)}`;
    const keyId = randomUUID();
    const log = new UsageEventLog();
    const flush = (minute: number, occurredAt = at(minute)) =>
      log.add([usageEntry({ tenantId, keyId, minute: at(minute) })], occurredAt);
    flush(60);
    flush(49 * 60); // retention now reaches back to minute 60 exactly
    flush(100); // a late flush: older than the newest event
    flush(49 * 60, new Date(Date.parse(at(49 * 60)) + 30_000).toISOString());
    flush(49 * 60 + 2); // a minute later than the last pruning: prunes minute 60
    const minutes = async (buckets: UsageBuckets) => {
      const range = { from: new Date(at(0)), to: new Date(at(50 * 60)) };
      const rows = await buckets.aggregate({
        tenantId,
        granularity: 'minute',
        ...range,
        by: ['bucket'],
      });
      return rows.map((row) => row.bucket).sort();
    };
    const rebuilt = new MemoryUsageBuckets(RETENTION);
    log.events.forEach((event) => rebuilt.apply(event));

    const first = new MongoUsageBuckets(db, RETENTION);
    await first.ensureIndexes();
    for (const event of log.events.slice(0, 2)) await first.apply(event);
    const restarted = new MongoUsageBuckets(db, RETENTION);
    for (const event of log.events.slice(2, 4)) await restarted.apply(event);
    // Within a minute of the last pruning: nothing is pruned, minute 60 is still in retention.
    expect(await minutes(restarted)).toEqual([at(60), at(100), at(49 * 60)]);

    await restarted.apply(log.events[4]);
    expect(await minutes(restarted)).toEqual([at(100), at(49 * 60), at(49 * 60 + 2)]);
    expect(await minutes(restarted)).toEqual(await minutes(rebuilt));
  });
});
