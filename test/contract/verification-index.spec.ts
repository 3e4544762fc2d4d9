import type { EventStore, RecordedEvent } from '../../src/event-store/event-store.port';
import { MemoryKeyDirectory } from '../../src/keys/read-models/memory/memory-key-directory';
import { MongoCacheMissSource } from '../../src/keys/read-models/mongodb/mongo-cache-miss-source';
import { MongoKeyDirectory } from '../../src/keys/read-models/mongodb/mongo-key-directory';
import { VerificationCache } from '../../src/keys/read-models/mongodb/verification-cache';
import { MONGODB_SERVER_LABEL, useTestMongo } from '../support/mongodb-test-server';
import { verificationIndexContract } from './verification-index.contract';

/** The embedded directory: rebuilt from the history at start, then fed each event as it happens. */
verificationIndexContract('memory key directory', (history) => {
  const directory = new MemoryKeyDirectory();
  for (const event of history) directory.apply(event);
  return Promise.resolve({
    index: directory,
    feed: (event) => Promise.resolve(directory.apply(event)),
    cleanup: () => Promise.resolve(),
  });
});

describe('on MongoDB', () => {
  const mongo = useTestMongo();

  /**
   * This instance's VerificationCache in front of the shared key directory, as `keys.module.ts`
   * wires it. The history is in the shared directory only; each event is then applied to the
   * directory (the projection writer) before the cache (this instance's feed), so the directory
   * is always as fresh as the feed and a miss never has to fold the key's stream.
   */
  verificationIndexContract(`verification cache on ${MONGODB_SERVER_LABEL}`, async (history) => {
    const db = mongo.freshDatabase();
    const directory = new MongoKeyDirectory(db);
    await directory.ensureIndexes();
    for (const event of history) await directory.apply(event);
    const stored = [...history];
    const cache = new VerificationCache(
      new MongoCacheMissSource(storeOf(stored), directory, () => Promise.resolve(true)),
      { maxEntries: 1_000, negativeTtlMs: 60_000 },
    );
    return {
      index: cache,
      feed: async (event) => {
        stored.push(event);
        await directory.apply(event);
        cache.apply(event);
      },
      cleanup: () => mongo.drop(db),
    };
  });
});

/** The event store as far as a cache miss reads it: a key's own stream. */
function storeOf(events: readonly RecordedEvent[]): EventStore {
  const store: Pick<EventStore, 'readStream'> = {
    readStream: (stream) => Promise.resolve(events.filter((event) => event.stream === stream)),
  };
  return store as EventStore;
}
