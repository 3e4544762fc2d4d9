import type {
  EventFilter,
  EventSubscription,
  GlobalPosition,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionHandlers,
} from '../event-store.port';
import { toRecorded } from './sqlite-statements';
import type { EventRow } from './stored-event';

/** The part of the store a subscription reads from: one page of rows after a position. */
export interface SubscriptionSource {
  readRows(after: bigint, filter: EventFilter | undefined, limit: number): EventRow[];
}

const PAGE_SIZE = 1000;

/** Lets timers and I/O (HTTP requests, other subscriptions) run between two pages. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A catch-up subscription that reads pages after the last handled position whenever it is woken:
 * by the store after its own appends, or by the store's poller after another connection's commit.
 * Reading by position from the database (never delivering the appended events directly) is what
 * keeps delivery in global order and exactly once, whoever committed the events.
 *
 * A handler that returns nothing is not awaited: a page is delivered to a synchronous handler in
 * one loop, without a promise per event, which is what makes a rebuild from millions of events
 * fast. Between pages the loop yields to the event loop, so a long catch-up never starves I/O.
 */
export class SqliteSubscription implements EventSubscription {
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (reason: unknown) => void;
  private last: GlobalPosition | undefined;
  private closed = false;
  /** True while the handler runs synchronously: a `close()` from there must not wait for it. */
  private delivering = false;
  private wakeRequested = true;
  private wake: (() => void) | undefined;
  private readonly done: Promise<void>;

  /**
   * @param head the global position of the newest event when the subscription was made;
   *   `caughtUp` resolves once the subscription has handled everything up to it.
   * @param onEnd called once when delivery stops, by `close()`, a failure or a throwing handler.
   */
  constructor(
    private readonly source: SubscriptionSource,
    private readonly options: SubscribeOptions,
    private readonly handlers: SubscriptionHandlers,
    private readonly head: bigint,
    private readonly onEnd: (subscription: SqliteSubscription) => void,
  ) {
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    // Nobody has to await `caughtUp`: a rejection nobody observes must not crash the process.
    this.caughtUp.catch(() => undefined);
    this.last = options.after;
    this.done = this.run();
  }

  lastPosition(): GlobalPosition | undefined {
    return this.last;
  }

  /** Signals that new events may have been committed. Cheap; never blocks the caller. */
  notify(): void {
    this.wakeRequested = true;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /**
   * Stops delivery and resolves once no handler call is in flight. Called from inside this
   * subscription's own handler while it runs synchronously (a synchronous handler, or an async
   * one before its first `await`), it resolves at once instead: waiting for itself would
   * deadlock. No further event is delivered after that handler returns. (Telling a call from
   * the handler's later continuations apart would need AsyncLocalStorage, whose promise hooks
   * slow down every promise in the process.)
   */
  async close(): Promise<void> {
    this.closed = true;
    this.notify();
    if (this.delivering) return;
    await this.done;
  }

  private async run(): Promise<void> {
    try {
      while (await this.nextWake()) await this.drain();
    } catch (error) {
      this.closed = true;
      this.rejectCaughtUp(error);
      try {
        this.handlers.onError?.(error);
      } catch {
        // The error has been reported as well as it can be; a failing reporter changes nothing.
      }
    } finally {
      this.rejectCaughtUp(new Error('The subscription was closed before it caught up'));
      this.onEnd(this);
    }
  }

  private async nextWake(): Promise<boolean> {
    if (!this.wakeRequested && !this.closed) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    // Cleared before reading: a commit after this point wakes the loop again.
    this.wakeRequested = false;
    return !this.closed;
  }

  /** Delivers every event committed after the last handled one, page by page. */
  private async drain(): Promise<void> {
    for (;;) {
      const after = this.last?.commit ?? 0n;
      const page = this.source.readRows(after, this.options.filter, PAGE_SIZE);
      for (const row of page) {
        if (this.closed) return;
        const event = toRecorded(row);
        const outcome = this.deliver(event);
        if (outcome !== undefined) await outcome;
        this.last = event.position;
        if (event.position.commit >= this.head) this.resolveCaughtUp();
      }
      if (page.length < PAGE_SIZE) {
        // A short page was read after `head` was taken, so everything up to it has been seen.
        this.resolveCaughtUp();
        return;
      }
      await nextTurn();
    }
  }

  private deliver(event: RecordedEvent): void | Promise<void> {
    this.delivering = true;
    try {
      return this.handlers.onEvent(event);
    } finally {
      this.delivering = false;
    }
  }
}
