import type { EventStore } from '../../../event-store/event-store.port';
import { foldRecorded } from '../../../event-store/recorded-events';
import { apiKeyDecider } from '../../domain/api-key.decider';
import { apiKeyStream } from '../../domain/api-key.events';
import type { KeyRecord } from '../key-directory.port';
import { CompactKeys } from './compact-keys';
import type { MongoKeyDirectory } from './mongo-key-directory';
import type { CacheMissSource } from './verification-cache';

/** How long a cache miss waits for the shared directory before folding the key's stream. */
const MISS_WAIT_MS = 1_000;

/**
 * What a verification cache miss reads: the shared key directory in MongoDB once it is as fresh
 * as this instance's feed, else the key's own stream in the event store.
 */
export class MongoCacheMissSource implements CacheMissSource {
  private readonly compact = new CompactKeys();

  constructor(
    private readonly store: EventStore,
    private readonly directory: MongoKeyDirectory,
    /** Whether the shared models reflect what the feed applied, within `waitMs`. */
    private readonly sharedHasFeed: (waitMs: number) => Promise<boolean>,
    private readonly missWaitMs: number = MISS_WAIT_MS,
  ) {}

  directoryIsFresh(): Promise<boolean> {
    return this.sharedHasFeed(this.missWaitMs);
  }

  findByHash(keyHash: string): Promise<KeyRecord | undefined> {
    return this.directory.findByHash(keyHash);
  }

  async foldFromStore(keyId: string): Promise<KeyRecord | undefined> {
    const events = await this.store.readStream(apiKeyStream(keyId));
    const state = foldRecorded(apiKeyDecider, events);
    const last = events.at(-1);
    if (!state.exists || !last) return undefined;
    return this.compact.record(state, Number(last.revision));
  }
}
