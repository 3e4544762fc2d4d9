import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.adapter';
import { MongoKeyDirectory } from '../../src/keys/read-models/mongodb/mongo-key-directory';
import { MongoProjectionWriter } from '../../src/projections/mongodb/mongo-projection-writer';
import { ProjectionPositions } from '../../src/projections/mongodb/projection-positions';
import { ProjectionLease } from '../../src/projections/mongodb/projection-lease';
import { apiKeyCreated } from '../support/factories';
import { makeNewEvent } from '../support/event-factory';
import { MONGODB_SERVER_LABEL, useTestMongo } from '../support/mongodb-test-server';

describe(`Projection lease and writer on ${MONGODB_SERVER_LABEL}`, () => {
  const mongo = useTestMongo();

  describe('ProjectionLease', () => {
    it('is held by one owner at a time, renewed by it, taken over once it expires', async () => {
      const db = mongo.freshDatabase();
      const a = new ProjectionLease(db, 'projections', 'a', 1000);
      const b = new ProjectionLease(db, 'projections', 'b', 1000);
      expect(await a.acquire(10_000)).toBe(true);
      expect(await b.acquire(10_500)).toBe(false);
      expect(await a.acquire(10_900)).toBe(true); // renewed: now valid until 11 900
      expect(await b.acquire(11_500)).toBe(false);
      expect(await b.acquire(11_900)).toBe(true); // expired: taken over
      expect(await a.acquire(12_000)).toBe(false);
      expect(await a.holder()).toEqual({ owner: 'b', expiresAtMs: 12_900 });
      await mongo.drop(db);
    });

    it('once released, is free for another owner at once', async () => {
      const db = mongo.freshDatabase();
      const a = new ProjectionLease(db, 'projections', 'a', 60_000);
      const b = new ProjectionLease(db, 'projections', 'b', 60_000);
      expect(await a.acquire(1000)).toBe(true);
      await b.release(); // not b's to release: nothing changes
      expect(await b.acquire(1001)).toBe(false);
      await a.release();
      expect(await b.acquire(1002)).toBe(true);
      await mongo.drop(db);
    });
  });

  describe('MongoProjectionWriter', () => {
    const created = (i: number) => {
      const { data } = apiKeyCreated({ keyHash: i.toString(16).padStart(64, '0') });
      return makeNewEvent({ type: 'ApiKeyCreated', data: data as never });
    };

    it('writes on one instance only, and a standby takes over from the checkpoint', async () => {
      const db = mongo.freshDatabase();
      const store = SqliteEventStore.open(':memory:', { pollIntervalMs: 10 });
      let now = 100_000;
      const writer = (owner: string) =>
        new MongoProjectionWriter(
          store,
          [new MongoKeyDirectory(db)],
          new ProjectionLease(db, 'projections', owner, 1000),
          new ProjectionPositions(db, 'projections'),
          { renewEveryMs: 60_000, nowMs: () => now },
        );
      const checkpoints = new ProjectionPositions(db, 'projections');
      const keys = new MongoKeyDirectory(db);
      await keys.ensureIndexes();
      const a = writer('a');
      const b = writer('b');
      await a.start();
      await b.start();
      expect([a.isWriting(), b.isWriting()]).toEqual([true, false]);

      const first = created(1);
      const { position } = await store.append(`apikey-${first.id}`, [first], 'no_stream');
      await until(async () => (await checkpoints.read())?.commit === position.commit);
      expect(await keys.count()).toBe(1);

      // A stops renewing (as if killed: no release); B's renewal after expiry takes over.
      await a.stop({ release: false });
      now += 1001;
      await (b as unknown as { tick(): Promise<void> }).tick();
      expect(b.isWriting()).toBe(true);
      const second = created(2);
      const appended = await store.append(`apikey-${second.id}`, [second], 'no_stream');
      await until(async () => (await checkpoints.read())?.commit === appended.position.commit);
      expect(await keys.count()).toBe(2);

      await b.stop();
      await store.close();
      await mongo.drop(db);
    });
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
