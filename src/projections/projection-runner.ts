import { DEFAULT_WRITE_WAIT_MS } from '../event-store/write-path/read-model-sync.port';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  comparePositions,
  EVENT_STORE,
  matchesFilter,
  type EventFilter,
  type EventStore,
  type EventSubscription,
  type GlobalPosition,
} from '../event-store/event-store.port';
import { PROJECTIONS, type Projection } from './projection';

interface Waiter {
  readonly position: GlobalPosition;
  readonly resolve: () => void;
}

/**
 * Feeds every projection from one catch-up subscription, from the start of the store
 * (in-memory read models are rebuilt at every start). Writers await `waitFor(position)` so that
 * what they wrote is visible on this instance (a revoke stops verification) before they answer.
 */
@Injectable()
export class ProjectionRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProjectionRunner.name);
  private subscription?: EventSubscription;
  private waiters: Waiter[] = [];
  private failure?: unknown;
  private ready = false;
  /** Position of the last event every projection has applied; set before waiters are released. */
  private applied?: GlobalPosition;
  private pendingCatchUp?: Promise<void>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: readonly Projection[],
  ) {}

  /** Read models are rebuilt before the app serves: an answer from a half-built model could be wrong. */
  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  /**
   * Starts the subscription (from the start of the store, or after `after` for read models that
   * already reflect everything up to it) and resolves once they have caught up with the store.
   */
  async start(after?: GlobalPosition): Promise<void> {
    const started = Date.now();
    const prefixes = this.projections.flatMap((p) => p.filter.streamPrefixes ?? []);
    this.applied = after;
    this.subscription = this.store.subscribe(
      { after, filter: { streamPrefixes: [...new Set(prefixes)] } },
      {
        // Synchronous while every projection applies synchronously (the in-memory ones): the
        // subscription then delivers a page in one loop, without a promise per event. A projection
        // that returns a promise is awaited before the next one applies, as before.
        onEvent: (event) => {
          let pending: Promise<void> | undefined;
          for (const projection of this.projections) {
            if (!matchesFilter(projection.filter, event.stream, event.type)) continue;
            if (pending) pending = pending.then(() => projection.apply(event));
            else pending = projection.apply(event) ?? undefined;
          }
          if (pending) {
            return pending.then(() => {
              this.applied = event.position;
              this.release(event.position);
            });
          }
          this.applied = event.position;
          this.release(event.position);
        },
        onError: (error) => {
          this.failure = error;
          this.logger.error(`Projection subscription stopped: ${String(error)}`);
        },
      },
    );
    await this.subscription.caughtUp;
    this.ready = true;
    this.logger.log(`Read models caught up in ${Date.now() - started} ms`);
  }

  /** Whether events of `stream` feed any of this runner's projections. */
  filterMatches(stream: string): boolean {
    return this.projections.some((p) =>
      (p.filter.streamPrefixes ?? ['']).some((prefix) => stream.startsWith(prefix)),
    );
  }

  /** Position of the last event every projection has applied (or where they started). */
  appliedPosition(): GlobalPosition | undefined {
    return this.applied;
  }

  isCaughtUp(): boolean {
    return this.ready && this.failure === undefined;
  }

  /**
   * Brings the read models up to what the store holds now for `filter`, without waiting for the
   * next poll: for a credential written a moment ago by another process (the CLI). Concurrent
   * calls share one look-up.
   */
  catchUpNow(filter: EventFilter): Promise<void> {
    this.pendingCatchUp ??= (async () => {
      try {
        const page = await this.store.readAll({ after: this.applied, filter, maxCount: 1000 });
        const newest = page.at(-1);
        if (newest) await this.waitFor(newest.position, 2_000);
      } finally {
        this.pendingCatchUp = undefined;
      }
    })();
    return this.pendingCatchUp;
  }

  /** Resolves when every event up to `position` has been applied; false if it took too long. */
  waitFor(position: GlobalPosition, timeoutMs = DEFAULT_WRITE_WAIT_MS): Promise<boolean> {
    if (this.applied && comparePositions(this.applied, position) >= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        this.logger.warn('Read models did not reach a written position in time');
        resolve(false);
      }, timeoutMs);
      const waiter: Waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private release(reached: GlobalPosition): void {
    if (this.waiters.length === 0) return;
    const due = this.waiters.filter((w) => comparePositions(reached, w.position) >= 0);
    if (due.length === 0) return;
    this.waiters = this.waiters.filter((w) => !due.includes(w));
    for (const waiter of due) waiter.resolve();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }
}
