import { Logger } from '@nestjs/common';
import type { Db } from 'mongodb';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.adapter';
import { MongoReadModels } from '../../src/projections/mongodb/mongo-read-models';
import type { MongoProjection } from '../../src/projections/mongodb/mongo-projection';
import type { Projection } from '../../src/projections/projection';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { ProjectionRunnerSync } from '../../src/projections/projection-runner-sync';
import { MONGODB_SERVER_LABEL, useTestMongo } from '../support/mongodb-test-server';
import { FOLLOWED_PREFIX, readModelSyncContract } from './read-model-sync.contract';

const noteId = (event: RecordedEvent) => `${event.stream}@${event.revision}`;

/**
 * An in-memory read model of the followed streams. `stall()` makes every later `apply` wait
 * until `release()`: a projection that does not complete.
 */
class Notes implements Projection {
  readonly filter = { streamPrefixes: [FOLLOWED_PREFIX] };
  readonly seen = new Set<string>();
  private gate?: Promise<void>;
  private open?: () => void;

  constructor(readonly name: string) {}

  apply(event: RecordedEvent): void | Promise<void> {
    if (!this.gate) {
      this.seen.add(noteId(event));
      return;
    }
    return this.gate.then(() => void this.seen.add(noteId(event)));
  }

  stall(): void {
    this.gate ??= new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
  }
}

/** A MongoDB read model of the followed streams, idempotent by event. */
class MongoNotes implements MongoProjection {
  readonly name = 'notes';
  readonly filter = { streamPrefixes: [FOLLOWED_PREFIX] };
  constructor(private readonly db: Db) {}

  ensureIndexes(): Promise<void> {
    return Promise.resolve();
  }

  async apply(event: RecordedEvent): Promise<void> {
    await this.db
      .collection<{ _id: string }>('notes')
      .updateOne({ _id: noteId(event) }, { $set: { type: event.type } }, { upsert: true });
  }

  async has(event: RecordedEvent): Promise<boolean> {
    return (
      (await this.db
        .collection<{ _id: string }>('notes')
        .countDocuments({ _id: noteId(event) })) === 1
    );
  }
}

// Quiet: the stalled cases log their time-outs on purpose.
beforeAll(() => {
  Logger.overrideLogger(false);
});

readModelSyncContract({
  name: 'memory (ProjectionRunnerSync)',
  stalls: ['a projection never completes'],
  open: (writeWaitMs) => {
    const store = SqliteEventStore.open(':memory:');
    const notes = new Notes('notes');
    const runner = new ProjectionRunner(store, [notes]);
    return Promise.resolve({
      sync: new ProjectionRunnerSync(runner, writeWaitMs),
      store,
      start: () => runner.start(),
      shows: (event) => Promise.resolve(notes.seen.has(noteId(event))),
      stall: () => Promise.resolve(notes.stall()),
      cleanup: async () => {
        notes.release();
        await runner.onApplicationShutdown();
        await store.close();
      },
    });
  },
});

describe(MONGODB_SERVER_LABEL, () => {
  const mongo = useTestMongo();

  readModelSyncContract({
    name: `MongoReadModels on ${MONGODB_SERVER_LABEL}`,
    stalls: ["the shared models' writer is stopped", "the instance's cache feed never completes"],
    open: (writeWaitMs) => {
      const store = SqliteEventStore.open(':memory:');
      const db = mongo.freshDatabase();
      const connection = { client: db.client, db, where: 'test', close: () => Promise.resolve() };
      const shared = new MongoNotes(db);
      const cache = new Notes('note cache');
      const local = new ProjectionRunner(store, [new Notes('local notes')]);
      const readModels = new MongoReadModels(store, connection, [shared], local, [cache], {
        instanceId: 'contract',
        leaseTtlMs: 1_000,
        writeWaitMs,
      });
      return Promise.resolve({
        sync: readModels,
        store,
        start: async () => {
          await readModels.connect();
          await local.start();
          await readModels.start({ write: true });
        },
        shows: async (event) => cache.seen.has(noteId(event)) && (await shared.has(event)),
        stall: async (kind) => {
          if (kind.includes('writer')) await readModels.writer.stop({ release: true });
          else cache.stall();
        },
        cleanup: async () => {
          cache.release();
          await readModels.stop();
          await local.onApplicationShutdown();
          await store.close();
          await mongo.drop(db);
        },
      });
    },
  });
});
