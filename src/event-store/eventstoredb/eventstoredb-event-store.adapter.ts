import { BACKWARDS, END, EventStoreDBClient, FORWARDS, START } from '@eventstore/db-client';
import {
  type AppendResult,
  type EventStore,
  type EventSubscription,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type SubscriptionHandlers,
} from '../event-store.port';
import { EventStoreUnreachable } from '../event-store-unreachable';
import { readKeyledgerPage } from './eventstoredb-all-pages';
import { redactUrlPassword } from '../../shared/redact-url';
import { isStreamNotFound, toPortError } from './eventstoredb-errors';
import { toClientRevision, toEventData, toRecordedEvent } from './eventstoredb-events';
import { readHead, readToEnd } from './eventstoredb-reads';
import { EventStoreDbSubscription } from './eventstoredb-subscription';

export interface EventStoreDbOptions {
  /** How long `ping` (and a subscription's first read) waits for the server. Default 5 s. */
  readonly answerTimeoutMs?: number;
}

/** The one client internal the adapter needs: its gRPC channel, to close it. */
interface ClientInternals {
  getChannel(): Promise<{ close(): void }>;
}

const DEFAULT_ANSWER_TIMEOUT_MS = 5000;
const DEFAULT_PAGE_SIZE = 1000;
const MAX_PAGE_SIZE = 10_000;

/**
 * The production event store: EventStoreDB through `@eventstore/db-client` over gRPC.
 * Appends carry the expected revision to the server, which checks it and writes atomically;
 * a missing stream reads as empty; `$all` reads and subscriptions see Keyledger's streams only.
 * Positions are the server's commit/prepare pairs, carried exactly. Needs server 22.10 or
 * later (positions on stream reads); 23.10 or later also says when a subscription caught up.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private closed = false;

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly where: string,
    private readonly answerTimeoutMs: number,
  ) {}

  /** A store on `connectionString` (`esdb://host:2113?tls=false`); connects on first use. */
  static create(
    connectionString: string,
    options: EventStoreDbOptions = {},
  ): EventStoreDbEventStore {
    const client = EventStoreDBClient.connectionString(connectionString);
    const timeout = options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
    return new EventStoreDbEventStore(client, redactUrlPassword(connectionString), timeout);
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error(`Cannot append an empty list of events to ${stream}`);
    try {
      const result = await this.client.appendToStream(stream, events.map(toEventData), {
        expectedRevision: toClientRevision(expectedRevision),
      });
      if (!result.position)
        throw new Error(`EventStoreDB gave no position for the append to ${stream}`);
      const { commit, prepare } = result.position;
      return { nextExpectedRevision: result.nextExpectedRevision, position: { commit, prepare } };
    } catch (error) {
      throw toPortError(error, stream, expectedRevision);
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const maxCount = options.maxCount === undefined ? undefined : count(options.maxCount, 0);
    if (maxCount === 0) return [];
    const read = this.client.readStream(stream, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : START),
      ...(maxCount === undefined ? {} : { maxCount }),
    });
    try {
      return (await readToEnd(read)).map(toRecordedEvent);
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = count(Math.min(options.maxCount ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE), 1);
    return readKeyledgerPage(this.client, options.after, options.filter, limit);
  }

  subscribe(options: SubscribeOptions, handlers: SubscriptionHandlers): EventSubscription {
    if (this.closed) throw new Error('The event store is closed');
    const subscription = new EventStoreDbSubscription(
      this.client,
      options,
      handlers,
      this.answerTimeoutMs,
      (ended) => this.subscriptions.delete(ended),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Reads the head of `$all`; throws `EventStoreUnreachable` when no answer comes in time. */
  async ping(): Promise<void> {
    if (this.closed) throw new Error('The event store is closed');
    try {
      await readHead(this.client, this.answerTimeoutMs);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // grpc-js ends some messages with an empty "Resolution note:"; it says nothing.
      throw new EventStoreUnreachable(this.where, reason.replace(/\s*Resolution note:\s*$/, ''));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
    // dispose() cancels the calls but leaves the gRPC channel open; closing it frees the socket.
    const channel = await (this.client as unknown as ClientInternals).getChannel();
    channel.close();
  }
}

function count(value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`maxCount must be an integer of at least ${min}, got ${value}`);
  }
  return value;
}
