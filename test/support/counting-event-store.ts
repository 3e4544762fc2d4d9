import type {
  AppendResult,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../../src/event-store/event-store.port';
import { DelegatingEventStore } from './delegating-event-store';

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
export class CountingEventStore extends DelegatingEventStore {
  readonly calls: StoreCalls = { append: 0, readStream: 0, readAll: 0 };

  reset(): void {
    this.calls.append = 0;
    this.calls.readStream = 0;
    this.calls.readAll = 0;
  }

  override append(
    stream: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    this.calls.append++;
    return super.append(stream, events, expectedRevision);
  }

  override readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.calls.readStream++;
    return super.readStream(stream, options);
  }

  override readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.calls.readAll++;
    return super.readAll(options);
  }
}
