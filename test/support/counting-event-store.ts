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

export interface StoreCalls {
  append: number;
  readStream: number;
  readAll: number;
}

/**
 * Delegates to a real store and counts the calls the application makes through the port.
 * Subscriptions are handed to the inner store as they are, so the pages a live subscription
 * reads are the store's own business and are not counted: only direct reads by the app are.
 */
export class CountingEventStore implements EventStore {
  readonly calls: StoreCalls = { append: 0, readStream: 0, readAll: 0 };

  constructor(private readonly inner: EventStore) {}

  reset(): void {
    this.calls.append = 0;
    this.calls.readStream = 0;
    this.calls.readAll = 0;
  }

  append(
    stream: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    this.calls.append++;
    return this.inner.append(stream, events, expectedRevision);
  }

  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.calls.readStream++;
    return this.inner.readStream(stream, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.calls.readAll++;
    return this.inner.readAll(options);
  }

  subscribe(options: SubscribeOptions, handlers: SubscriptionHandlers): EventSubscription {
    return this.inner.subscribe(options, handlers);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
