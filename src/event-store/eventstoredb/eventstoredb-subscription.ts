import { AsyncLocalStorage } from 'node:async_hooks';
import {
  START,
  streamNameFilter,
  type EventStoreDBClient,
  type ResolvedEvent,
  type StreamSubscription,
} from '@eventstore/db-client';
import {
  comparePositions,
  type EventSubscription,
  type GlobalPosition,
  type SubscribeOptions,
  type SubscriptionHandlers,
} from '../event-store.port';
import { CatchUpBoundary } from './catch-up-boundary';
import { keyledgerEvent, serverPrefixes } from './eventstoredb-events';
import { readHead } from './eventstoredb-reads';

/** Which subscription's handler the current async context runs, to detect a re-entrant close. */
const runningHandler = new AsyncLocalStorage<EventStoreDbSubscription>();

/**
 * A catch-up subscription to `$all` through the client's `subscribeToAll`: filtered on the
 * server by stream-name prefix (the caller's, else Keyledger's), then on the client by event
 * type and by what is Keyledger's (no system events). Events are taken from the client's stream
 * one at a time and each handler call is awaited, so delivery keeps the server's order and
 * gRPC flow control holds the server back while a handler runs.
 */
export class EventStoreDbSubscription implements EventSubscription {
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (reason: unknown) => void;
  private last: GlobalPosition | undefined;
  /** Newest position seen, delivered or not: anything at or before it is a repeat. */
  private seen: GlobalPosition | undefined;
  private closed = false;
  private stream: StreamSubscription | undefined;
  private readonly done: Promise<void>;

  /**
   * @param headTimeoutMs how long the start-time read of the head of `$all` may take.
   * @param onEnd called once when delivery stops, by `close()`, a failure or a throwing handler.
   */
  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: SubscribeOptions,
    private readonly handlers: SubscriptionHandlers,
    private readonly headTimeoutMs: number,
    private readonly onEnd: (subscription: EventStoreDbSubscription) => void,
  ) {
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    // Nobody has to await `caughtUp`: a rejection nobody observes must not crash the process.
    this.caughtUp.catch(() => undefined);
    this.last = options.after;
    this.seen = options.after;
    this.done = this.run();
  }

  lastPosition(): GlobalPosition | undefined {
    return this.last;
  }

  /**
   * Stops delivery and resolves once no handler call is in flight. Called from inside this
   * subscription's own handler, it resolves at once instead (waiting for itself would deadlock).
   */
  async close(): Promise<void> {
    this.closed = true;
    this.stopStream();
    if (runningHandler.getStore() === this) return;
    await this.done;
  }

  private async run(): Promise<void> {
    try {
      const head = await readHead(this.client, this.headTimeoutMs);
      if (this.closed) return;
      await this.consume(head);
    } catch (error) {
      if (!this.closed) {
        this.closed = true;
        this.rejectCaughtUp(error);
        report(this.handlers, error);
      }
    } finally {
      this.stopStream();
      this.rejectCaughtUp(new Error('The subscription was closed before it caught up'));
      this.onEnd(this);
    }
  }

  private async consume(head: GlobalPosition | undefined): Promise<void> {
    const boundary = new CatchUpBoundary(() => this.resolveCaughtUp());
    const atOrPastHead = (position: GlobalPosition): boolean =>
      head === undefined || comparePositions(position, head) >= 0;
    if (head === undefined) boundary.markAfter(0);
    const stream = this.client.subscribeToAll({
      fromPosition: this.options.after ?? START,
      filter: streamNameFilter({
        prefixes: serverPrefixes(this.options.filter),
        checkpointReached: (subscription, position) => {
          if (atOrPastHead(position)) boundary.markAfter(subscription.readableLength);
        },
      }),
    });
    this.stream = stream;
    // Errors reach the loop below; this keeps a late one (after the loop ended) from crashing.
    stream.on('error', () => undefined);
    stream.on('caughtUp', () => boundary.markAfter(stream.readableLength));
    let failure: { error: unknown } | undefined;
    // The loop never leaves early: leaving would destroy the client's stream and strand the gRPC
    // call under it. Once closed (or failed) it only drains what the cancelled call still holds.
    for await (const resolved of stream as AsyncIterable<ResolvedEvent>) {
      if (this.closed || failure) continue;
      boundary.take();
      try {
        const position = await this.deliver(resolved);
        if (position && atOrPastHead(position)) boundary.reachNow();
      } catch (error) {
        failure = { error };
        this.stopStream();
        continue;
      }
      boundary.handledOne();
    }
    if (failure) throw failure.error;
    if (!this.closed) throw new Error('EventStoreDB ended the subscription');
  }

  /** Hands one event to the handler if it is new and wanted; returns its position. */
  private async deliver(resolved: ResolvedEvent): Promise<GlobalPosition | undefined> {
    const position = resolved.event?.position;
    if (!position) return undefined;
    if (this.seen && comparePositions(position, this.seen) <= 0) return undefined;
    this.seen = position;
    const event = keyledgerEvent(resolved, this.options.filter);
    if (!event) return position;
    await runningHandler.run(this, () => this.handlers.onEvent(event));
    this.last = event.position;
    return position;
  }

  /** Cancels the gRPC call; the client's stream then ends, and with it the loop above. */
  private stopStream(): void {
    const stream = this.stream;
    if (!stream) return;
    this.stream = undefined;
    stream.unsubscribe().catch(() => undefined);
  }
}

function report(handlers: SubscriptionHandlers, error: unknown): void {
  try {
    handlers.onError?.(error);
  } catch {
    // The error has been reported as well as it can be; a failing reporter changes nothing.
  }
}
