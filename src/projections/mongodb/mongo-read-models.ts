import { Logger } from '@nestjs/common';
import {
  comparePositions,
  type EventStore,
  type GlobalPosition,
} from '../../event-store/event-store.port';
import { DomainError } from '../../shared/errors';
import { ProjectionRunner } from '../projection-runner';
import {
  DEFAULT_WRITE_WAIT_MS,
  ReadModelSync,
} from '../../event-store/write-path/read-model-sync.port';
import type { MongoConnection } from './mongo-connection';
import type { MongoProjection } from './mongo-projection';
import { MongoProjectionWriter } from './mongo-projection-writer';
import { ProjectionPositions } from './projection-positions';
import { ProjectionLease } from './projection-lease';
import type { Projection } from '../projection';

export interface MongoReadModelsOptions {
  /** Names this instance as a lease owner. */
  readonly instanceId: string;
  readonly leaseTtlMs: number;
  /**
   * Longest a writer waits for its write to show on this instance, caches and shared models
   * together (default `DEFAULT_WRITE_WAIT_MS`); then `waitForWrite` answers false.
   */
  readonly writeWaitMs?: number;
}

/**
 * The configured MongoDB did not answer at start: one line (where it looked, with the password
 * masked, and why it failed), and the process exits.
 */
export class ReadModelStoreUnreachable extends DomainError {
  constructor(where: string, reason: string) {
    super(
      'unavailable',
      'READ_MODELS_UNREACHABLE',
      `cannot reach MongoDB at ${where}: ${reason.replace(/\s+/g, ' ').trim()}`,
    );
  }
}

const POLL_MS = 20;
const PROJECTIONS_NAME = 'keyledger-projections';

/**
 * The MongoDB shape of the read models on one instance:
 * - the projection writer of the `shared` models, running only while this instance holds the
 *   lease;
 * - this instance's own light subscription (the feed), from where the shared models stood at
 *   start, keeping the instance's caches in front of them (`fed`: the verification cache)
 *   coherent;
 * - the freshness checks that let a cache miss and a writer trust what they read.
 * The `local` models (tenants and root keys) stay in memory on every instance: they are few, and
 * the root key guard needs them synchronously on every request.
 */
export class MongoReadModels extends ReadModelSync {
  private readonly logger = new Logger('MongoReadModels');
  private readonly positions: ProjectionPositions;
  readonly writer: MongoProjectionWriter;
  private cacheFeed?: ProjectionRunner;
  /** The newest position seen: the shared models reflect every event up to it. */
  private knownPosition?: GlobalPosition;
  private started = false;
  /** Where the cache feed stood when it first caught up: readiness waits for the shared models. */
  private readyAt?: GlobalPosition;
  private refreshing?: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly mongo: MongoConnection,
    private readonly shared: readonly MongoProjection[],
    private readonly local: ProjectionRunner,
    private readonly fed: readonly Projection[],
    private readonly options: MongoReadModelsOptions,
  ) {
    super();
    this.positions = new ProjectionPositions(mongo.db, PROJECTIONS_NAME);
    const lease = new ProjectionLease(
      mongo.db,
      PROJECTIONS_NAME,
      options.instanceId,
      options.leaseTtlMs,
    );
    this.writer = new MongoProjectionWriter(store, shared, lease, this.positions, {
      renewEveryMs: Math.max(100, Math.floor(options.leaseTtlMs / 3)),
      onApplied: (position) => this.sawPosition(position),
    });
  }

  /** A configured MongoDB that does not answer stops the start; then indexes are made. */
  async connect(): Promise<void> {
    try {
      await this.mongo.db.command({ ping: 1 });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ReadModelStoreUnreachable(this.mongo.where, reason);
    }
    for (const projection of this.shared) await projection.ensureIndexes();
  }

  /**
   * Starts the feed of the instance's caches from the shared position and, in a server (`write`), the
   * lease loop: a CLI run reads the shared models but never writes them.
   */
  async start({ write }: { readonly write: boolean }): Promise<void> {
    const position = await this.positions.read();
    this.sawPosition(position);
    this.cacheFeed = new ProjectionRunner(this.store, this.fed);
    await this.cacheFeed.start(position);
    this.readyAt = this.cacheFeed.appliedPosition();
    if (write) await this.writer.start();
    this.started = true;
  }

  async stop(): Promise<void> {
    await this.writer.stop({ release: true });
    await this.cacheFeed?.onApplicationShutdown();
  }

  /**
   * Ready once this instance's own models caught up and the shared ones reflect every key event
   * there was when this instance's cache feed caught up (a fresh MongoDB is still being written).
   */
  isCaughtUp(): boolean {
    if (!this.started || !this.local.isCaughtUp() || !this.cacheFeed?.isCaughtUp()) return false;
    if (this.sharedHasReached(this.readyAt)) return true;
    void this.refreshPosition();
    return false;
  }

  /** One deadline for the whole wait: the caches here, then the shared models (see the port). */
  async waitForWrite(stream: string, position: GlobalPosition): Promise<boolean> {
    const waitMs = this.options.writeWaitMs ?? DEFAULT_WRITE_WAIT_MS;
    if (this.feedMatches(stream)) {
      const deadline = Date.now() + waitMs;
      if (!this.cacheFeed || !(await this.cacheFeed.waitFor(position, waitMs))) return false;
      return this.sharedReach(position, deadline - Date.now());
    }
    if (this.local.filterMatches(stream)) return this.local.waitFor(position, waitMs);
    return true;
  }

  /**
   * Resolves true once the shared models reflect every event this instance's feed has applied to
   * its caches (polling for up to `waitMs`); false if they did not get there in time (their
   * writer is behind or down). A cache miss asks this before it trusts what MongoDB answers.
   */
  sharedHasFeed(waitMs: number): Promise<boolean> {
    const seen = this.cacheFeed?.appliedPosition();
    if (seen === undefined) return Promise.resolve(true);
    return this.sharedReach(seen, waitMs);
  }

  /** Whether `stream` feeds the instance's caches (a write there must reach them and MongoDB). */
  private feedMatches(stream: string): boolean {
    return this.fed.some((p) =>
      (p.filter.streamPrefixes ?? ['']).some((prefix) => stream.startsWith(prefix)),
    );
  }

  /** Whether the shared models reflect `position`, polling their position for up to `waitMs`. */
  private async sharedReach(position: GlobalPosition, waitMs: number): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (this.sharedHasReached(position)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      await this.refreshPosition();
    }
  }

  private sharedHasReached(position: GlobalPosition | undefined): boolean {
    if (position === undefined) return true;
    const known = this.knownPosition;
    return known !== undefined && comparePositions(known, position) >= 0;
  }

  /** Reads the shared position again; concurrent callers share one read. */
  private refreshPosition(): Promise<void> {
    this.refreshing ??= this.positions
      .read()
      .then((position) => this.sawPosition(position))
      .catch((error: unknown) => {
        this.logger.warn(`Reading the projection position failed: ${String(error)}`);
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private sawPosition(position: GlobalPosition | undefined): void {
    if (!position) return;
    if (!this.knownPosition || comparePositions(position, this.knownPosition) > 0)
      this.knownPosition = position;
  }
}
