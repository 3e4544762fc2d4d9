import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  EventSubscription,
  GlobalPosition,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionHandlers,
} from '../event-store.port';

/** The part of the store a subscription reads from. */
export interface SubscriptionSource {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
}

const PAGE_SIZE = 500;

/** Which subscription's handler the current async context is running, to detect re-entrant close. */
const runningHandler = new AsyncLocalStorage<SqliteSubscription>();

/**
 * A catch-up subscription that reads pages after the last handled position whenever it is woken:
 * by the store after its own appends, or by the store's poller after another connection's commit.
 * Reading by position from the database (never delivering the appended events directly) is what
 * keeps delivery in global order and exactly once, whoever committed the events.
 */
export class SqliteSubscription implements EventSubscription {
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (reason: unknown) => void;
  private last: GlobalPosition | undefined;
  private closed = false;
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
   * subscription's own handler, it resolves at once instead (waiting for itself would deadlock);
   * no further event is delivered after that handler returns.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.notify();
    if (runningHandler.getStore() === this) return;
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
      const page = await this.source.readAll({
        after: this.last,
        filter: this.options.filter,
        maxCount: PAGE_SIZE,
      });
      for (const event of page) {
        if (this.closed) return;
        await runningHandler.run(this, () => this.handlers.onEvent(event));
        this.last = event.position;
        if (event.position.commit >= this.head) this.resolveCaughtUp();
      }
      if (page.length < PAGE_SIZE) {
        // A short page was read after `head` was taken, so everything up to it has been seen.
        this.resolveCaughtUp();
        return;
      }
    }
  }
}
