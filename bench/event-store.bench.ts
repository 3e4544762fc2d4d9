import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  getSQLiteEventStore,
  readMessagesBatch,
  sqliteConnection,
} from '@event-driven-io/emmett-sqlite';
import type { GlobalPosition, NewEvent } from '../src/event-store/event-store.port';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store.adapter';
import type { Benchmark } from './registry';
import { printTable, ratio } from './support/table';
import { withTempDir } from './support/temp-dir';

const SINGLE_APPENDS = 1_000;
const BATCHES = 200;
const BATCH_SIZE = 100;

/** One realistic event: the shape and size of an `ApiKeyCreated` with its metadata. */
function sampleEvent(): NewEvent {
  return {
    id: randomUUID(),
    type: 'ApiKeyCreated',
    data: {
      keyId: randomUUID(),
      tenantId: 'bench',
      name: 'checkout service',
      environment: 'live',
      kind: 'secret',
      scopes: ['orders:read', 'orders:write'],
      expiresAt: null,
      rateLimit: null,
      allowedIps: null,
      allowedOrigins: null,
      metadata: { plan: 'pro' },
      keyHash: 'a'.repeat(64),
      hint: 'kl_live_abcd…wxyz',
      createdAt: new Date().toISOString(),
      createdBy: 'root-key:bench',
      rotatedFrom: null,
    },
    metadata: {
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      actor: { type: 'root-key', id: randomUUID() },
      requestId: randomUUID(),
      ip: '127.0.0.1',
      userAgent: 'bench',
      prevHash: '0'.repeat(64),
      hash: 'b'.repeat(64),
    },
  };
}

interface StoreUnderTest {
  appendOne(stream: string, event: NewEvent): Promise<void>;
  appendBatch(stream: string, events: NewEvent[]): Promise<void>;
  /** Reads every event in global order in pages of 1000; returns how many. */
  readEverything(): Promise<number>;
  close(): Promise<void>;
}

function keyledgerSqlite(file: string): StoreUnderTest {
  const store = SqliteEventStore.open(file);
  return {
    appendOne: async (stream, event) => void (await store.append(stream, [event], 'no_stream')),
    appendBatch: async (stream, events) => void (await store.append(stream, events, 'no_stream')),
    readEverything: async () => {
      let count = 0;
      let after: GlobalPosition | undefined;
      for (;;) {
        const page = await store.readAll({ after, maxCount: 1000 });
        if (page.length === 0) return count;
        count += page.length;
        after = page[page.length - 1].position;
      }
    },
    close: () => store.close(),
  };
}

function emmettSqlite(file: string): StoreUnderTest {
  const store = getSQLiteEventStore({
    fileName: file,
    schema: { autoMigration: 'CreateOrUpdate' },
  });
  const asEmmett = (e: NewEvent) => ({
    type: e.type,
    data: e.data,
    metadata: e.metadata as unknown as Record<string, unknown>,
  });
  return {
    appendOne: async (stream, event) =>
      void (await store.appendToStream(stream, [asEmmett(event)])),
    appendBatch: async (stream, events) =>
      void (await store.appendToStream(stream, events.map(asEmmett))),
    readEverything: async () => {
      const connection = sqliteConnection({ fileName: file });
      try {
        let count = 0;
        let after = 0n;
        for (;;) {
          const batch = await readMessagesBatch(connection, { after, batchSize: 1000 });
          count += batch.messages.length;
          if (batch.messages.length === 0 || !batch.areEventsLeft) return count;
          after = batch.currentGlobalPosition;
        }
      } finally {
        connection.close();
      }
    },
    close: () => Promise.resolve(),
  };
}

async function measure(store: StoreUnderTest) {
  const time = async (work: () => Promise<unknown>) => {
    const started = process.hrtime.bigint();
    await work();
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  const single = await time(async () => {
    for (let i = 0; i < SINGLE_APPENDS; i++)
      await store.appendOne(`apikey-${randomUUID()}`, sampleEvent());
  });
  const batch = await time(async () => {
    for (let i = 0; i < BATCHES; i++) {
      await store.appendBatch(
        `usage-${randomUUID()}`,
        Array.from({ length: BATCH_SIZE }, sampleEvent),
      );
    }
  });
  let read = 0;
  const readSeconds = await time(async () => (read = await store.readEverything()));
  await store.close();
  return {
    singleAppendsPerSecond: SINGLE_APPENDS / single,
    batchEventsPerSecond: (BATCHES * BATCH_SIZE) / batch,
    readEventsPerSecond: read / readSeconds,
    eventsRead: read,
  };
}

/** The SQLite adapter against emmett-sqlite, same machine, same events, durable commits (WAL). */
export const eventStoreBench: Benchmark = {
  name: 'event-store',
  description: `SQLite adapter vs @event-driven-io/emmett-sqlite: ${SINGLE_APPENDS} single appends, ${BATCHES}×${BATCH_SIZE} batch appends, readAll`,
  run: () =>
    withTempDir(async (dir) => {
      const ours = await measure(keyledgerSqlite(join(dir, 'keyledger.sqlite')));
      const theirs = await measure(emmettSqlite(join(dir, 'emmett.sqlite')));
      printTable(
        ['operation', 'Keyledger SQLite', 'emmett-sqlite', 'ratio'],
        [
          [
            'single-event appends/s (durable)',
            ours.singleAppendsPerSecond,
            theirs.singleAppendsPerSecond,
            ratio(ours.singleAppendsPerSecond, theirs.singleAppendsPerSecond),
          ],
          [
            `batch appends (${BATCH_SIZE}/append), events/s`,
            ours.batchEventsPerSecond,
            theirs.batchEventsPerSecond,
            ratio(ours.batchEventsPerSecond, theirs.batchEventsPerSecond),
          ],
          [
            `readAll, events/s (${ours.eventsRead} events)`,
            ours.readEventsPerSecond,
            theirs.readEventsPerSecond,
            ratio(ours.readEventsPerSecond, theirs.readEventsPerSecond),
          ],
        ],
      );
      return { keyledger: ours, emmett: theirs };
    }),
};
