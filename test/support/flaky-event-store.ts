import type {
  AppendResult,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionHandlers,
} from '../../src/event-store/event-store.port';

/** A real store that fails on demand, the way a store on the other end of a network does. */
export class FlakyEventStore implements EventStore {
  /** The next this many appends fail and write nothing. */
  failAppends = 0;
  /** The next append is written, but the caller is told it failed (a lost acknowledgement). */
  loseNextAck = false;
  /** While set, every call fails: the store is unreachable. */
  down = false;

  constructor(private readonly inner: EventStore) {}

  async append(
    stream: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    this.check();
    if (this.failAppends > 0) {
      this.failAppends--;
      throw new Error('store unavailable (append refused)');
    }
    const result = await this.inner.append(stream, events, expectedRevision);
    if (this.loseNextAck) {
      this.loseNextAck = false;
      throw new Error('connection lost before the append was acknowledged');
    }
    return result;
  }

  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.check();
    return this.inner.readStream(stream, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.check();
    return this.inner.readAll(options);
  }

  subscribe(options: SubscribeOptions, handlers: SubscriptionHandlers): EventSubscription {
    return this.inner.subscribe(options, handlers);
  }

  ping(): Promise<void> {
    this.check();
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private check(): void {
    if (this.down) throw new Error('store unreachable');
  }
}
