import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventDatabase } from '../../src/event-store/sqlite/sqlite-schema';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.adapter';
import { makeNewEvent, makeNewEvents } from '../support/event-factory';
import { eventStoreContract } from './event-store.contract';
import { SubscriptionProbe, uniqueStream } from './event-store-contract.support';
import { runConcurrentWriter } from './sqlite-concurrent-writers';

const tempDirs: string[] = [];

function tempDatabase(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyledger-events-'));
  tempDirs.push(dir);
  return join(dir, 'events.db');
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

eventStoreContract('sqlite (:memory:)', () => {
  const store = SqliteEventStore.open(':memory:');
  return Promise.resolve({ store, cleanup: () => store.close() });
});

eventStoreContract(
  'sqlite (file)',
  () => {
    const store = SqliteEventStore.open(tempDatabase(), { pollIntervalMs: 20 });
    return Promise.resolve({ store, cleanup: () => store.close() });
  },
  { secondConnection: (first) => Promise.resolve(SqliteEventStore.open(first.filename)) },
);

describe('SqliteEventStore', () => {
  const opened: SqliteEventStore[] = [];
  const open = (filename: string): SqliteEventStore => {
    const store = SqliteEventStore.open(filename);
    opened.push(store);
    return store;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('opens the file in WAL mode with durable commits and a busy timeout', () => {
    const filename = tempDatabase();
    const db = openEventDatabase(filename);
    const raw = new Database(filename);
    try {
      expect(db.pragma('synchronous', { simple: true })).toBe(2n); // FULL
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000n);
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
      db.close();
    }
  });

  it('keeps events across close and reopen, and continues their revisions', async () => {
    const filename = tempDatabase();
    const stream = uniqueStream('apikey');
    const first = open(filename);
    const written = makeNewEvents(3);
    const { position } = await first.append(stream, written, 'no_stream');
    await first.close();

    const reopened = open(filename);
    const read = await reopened.readStream(stream);
    const next = await reopened.append(stream, [makeNewEvent()], 2n);

    expect(read.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))).toEqual(
      written,
    );
    expect(next.nextExpectedRevision).toBe(3n);
    expect(next.position.commit).toBeGreaterThan(position.commit);
  });

  it("delivers another instance's appends to a live subscription by polling", async () => {
    const filename = tempDatabase();
    const [reader, writer] = [open(filename), open(filename)];
    const stream = uniqueStream('tenant');
    const probe = new SubscriptionProbe(reader, { filter: { streamPrefixes: [stream] } });
    await probe.subscription.caughtUp;

    const event = makeNewEvent({ type: 'TenantCreated' });
    await writer.append(stream, [event], 'no_stream');
    await probe.waitForCount(1, 2000);

    expect(probe.events.map((recorded) => recorded.id)).toEqual([event.id]);
  });

  it('serialises writers on other threads: no lost update, no busy error, live order kept', async () => {
    const filename = tempDatabase();
    const store = open(filename);
    const stream = uniqueStream('usage');
    const probe = new SubscriptionProbe(store, { filter: { streamPrefixes: [stream] } });

    const writers = [1, 2, 3, 4].map((writer) =>
      runConcurrentWriter({ filename, stream, writer, appends: 50 }),
    );
    await Promise.all(writers);
    await probe.waitForCount(200);

    const read = await store.readStream(stream);
    expect(read.map((event) => event.revision)).toEqual(read.map((_, i) => BigInt(i)));
    expect(read).toHaveLength(200);
    expect(probe.events.map((event) => event.id)).toEqual(read.map((event) => event.id));
  }, 20_000);

  it('treats a stream prefix literally and case-sensitively', async () => {
    const store = open(':memory:');
    const token = randomUUID();
    const streams = [`tenant-${token}_a`, `tenant-${token}xa`, `TENANT-${token}_b`];
    for (const stream of streams) await store.append(stream, [makeNewEvent()], 'no_stream');

    const page = await store.readAll({ filter: { streamPrefixes: [`tenant-${token}_`] } });

    expect(page.map((event) => event.stream)).toEqual([`tenant-${token}_a`]);
  });

  it('caps a page of readAll at 10000 events', async () => {
    const store = open(':memory:');
    await store.append(uniqueStream('usage'), makeNewEvents(10_001), 'no_stream');

    expect(await store.readAll({ maxCount: 50_000 })).toHaveLength(10_000);
    await expect(store.readAll({ maxCount: 0 })).rejects.toThrow(RangeError);
  });

  it('lets a handler close its own subscription without deadlock', async () => {
    const store = open(':memory:');
    const stream = uniqueStream('apikey');
    await store.append(stream, makeNewEvents(3), 'no_stream');
    let closing: Promise<void> | undefined;
    const probe = new SubscriptionProbe(store, {}, async () => {
      closing = probe.subscription.close();
      await closing;
    });

    await expect(probe.subscription.caughtUp).rejects.toThrow('closed before it caught up');
    await closing;

    expect(probe.events).toHaveLength(1);
  });

  it('closes its subscriptions when the store closes', async () => {
    const store = SqliteEventStore.open(tempDatabase());
    const probe = new SubscriptionProbe(store, {});
    await probe.subscription.caughtUp;

    await store.close();

    await expect(store.ping()).rejects.toThrow();
    await expect(probe.subscription.close()).resolves.toBeUndefined();
    expect(() => store.subscribe({}, { onEvent: () => undefined })).toThrow('closed');
  });
});
