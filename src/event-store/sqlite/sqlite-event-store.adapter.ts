import type Database from 'better-sqlite3';
import {
  WrongExpectedRevision,
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
import { openEventDatabase } from './sqlite-schema';
import { EventStatements, storedJson } from './sqlite-statements';
import { SqliteSubscription } from './sqlite-subscription';
import { WalDurability, type WalDurabilityOptions } from './wal-durability';

export interface SqliteEventStoreOptions {
  /** How often live subscriptions look for commits made by other connections. Default 100 ms. */
  readonly pollIntervalMs?: number;
  /** How a file store makes commits durable off the event loop (see `WalDurability`). */
  readonly durability?: WalDurabilityOptions;
}

const DEFAULT_POLL_INTERVAL_MS = 100;
const DEFAULT_PAGE_SIZE = 1000;
const MAX_PAGE_SIZE = 10_000;
const LAST_REVISION = 0x7fff_ffff_ffff_ffffn;

/**
 * The embedded event store: one SQLite file (or `:memory:`) that several connections and
 * processes may share. Appends run in IMMEDIATE transactions, so the expected-revision check
 * and the insert happen under the write lock and cannot interleave with another writer's.
 */
export class SqliteEventStore implements EventStore {
  private readonly statements: EventStatements;
  private readonly writeEvents: Database.Transaction<
    (stream: string, events: readonly NewEvent[], expected: ExpectedRevision) => AppendResult
  >;
  private readonly subscriptions = new Set<SqliteSubscription>();
  private poller: NodeJS.Timeout | undefined;
  private seenDataVersion = 0n;
  private closed = false;
  /** For a file: commits synced off the event loop. None for `:memory:` (nothing to sync). */
  private readonly durability: WalDurability | undefined;
  /** Bytes committed since the last append handed them to `durability`. */
  private committedBytes = 0;

  private constructor(
    private readonly db: Database.Database,
    private readonly pollIntervalMs: number,
    durability: WalDurabilityOptions,
  ) {
    if (!db.memory) {
      // Durability comes from WalDurability's sync after each commit, not from SQLite's
      // inside it (which would hold the event loop); its merger replaces the automatic
      // checkpoints, which would sync inside a commit too.
      db.pragma('synchronous = NORMAL');
      db.pragma('wal_autocheckpoint = 0');
      this.durability = new WalDurability(db.name, durability);
    }
    this.statements = new EventStatements(db);
    this.writeEvents = db.transaction((stream, events, expected) =>
      this.insertChecked(stream, events, expected),
    );
  }

  static open(filename: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    return new SqliteEventStore(
      openEventDatabase(filename),
      pollIntervalMs,
      options.durability ?? {},
    );
  }

  /** The database file, as given to `open` (`:memory:` for an in-memory store). */
  get filename(): string {
    return this.db.name;
  }

  append(
    stream: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    const committed = settle(() => {
      if (events.length === 0)
        throw new Error(`Cannot append an empty list of events to ${stream}`);
      this.durability?.assertWritable();
      const result = this.writeEvents.immediate(stream, events, expectedRevision);
      for (const subscription of this.subscriptions) subscription.notify();
      return result;
    });
    const durability = this.durability;
    if (!durability) return committed;
    return committed.then(async (result) => {
      const bytes = this.committedBytes;
      this.committedBytes = 0;
      await durability.committed(bytes);
      return result;
    });
  }

  readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return settle(() => {
      const backwards = options.direction === 'backwards';
      const from = options.fromRevision ?? (backwards ? LAST_REVISION : 0n);
      const limit = options.maxCount === undefined ? -1n : count(options.maxCount, 0);
      return this.statements.readStream(stream, backwards, from, limit);
    });
  }

  /**
   * Reads in a later turn of the event loop: a caller paging through millions of events (the
   * audit sealer, an export) lets timers and requests run between pages, as it would with a
   * store it reached over the network, instead of holding the process until it is done.
   */
  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return settleLater(() => {
      const limit = count(Math.min(options.maxCount ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE), 1);
      return this.statements.readAll(options.after?.commit ?? 0n, options.filter, limit);
    });
  }

  subscribe(options: SubscribeOptions, handlers: SubscriptionHandlers): EventSubscription {
    if (this.closed) throw new Error('The event store is closed');
    const subscription = new SqliteSubscription(
      this.statements,
      options,
      handlers,
      this.statements.head(),
      (ended) => this.unregister(ended),
    );
    this.subscriptions.add(subscription);
    this.startPolling();
    return subscription;
  }

  ping(): Promise<void> {
    return settle(() => {
      // A store that refuses appends is not ready to serve: /ready says so.
      this.durability?.assertWritable();
      this.statements.ping();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopPolling();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.durability?.close();
    this.db.close();
  }

  private insertChecked(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): AppendResult {
    const last = this.statements.streamLastRevision(stream);
    if (!revisionHolds(expected, last)) {
      throw new WrongExpectedRevision(stream, expected, last ?? 'no_stream');
    }
    let revision = last ?? -1n;
    let position = 0n;
    for (const event of events) {
      revision += 1n;
      const data = storedJson(event.data);
      const metadata = storedJson(event.metadata);
      this.committedBytes += data.length + metadata.length;
      position = this.statements.insertEvent({
        stream,
        revision,
        id: event.id,
        type: event.type,
        data,
        metadata,
        occurredAt: textOrNull(event.metadata.occurredAt),
      });
    }
    return { nextExpectedRevision: revision, position: { commit: position, prepare: position } };
  }

  private unregister(subscription: SqliteSubscription): void {
    this.subscriptions.delete(subscription);
    if (this.subscriptions.size === 0) this.stopPolling();
  }

  /** Only other connections' commits need polling for; a private `:memory:` db has none. */
  private startPolling(): void {
    if (this.poller || this.db.memory) return;
    this.seenDataVersion = this.statements.dataVersion();
    this.poller = setInterval(() => this.pollForCommits(), this.pollIntervalMs);
    // A subscription alone must not keep the process alive.
    this.poller.unref();
  }

  private stopPolling(): void {
    clearInterval(this.poller);
    this.poller = undefined;
  }

  private pollForCommits(): void {
    try {
      const version = this.statements.dataVersion();
      if (version === this.seenDataVersion) return;
      this.seenDataVersion = version;
    } catch {
      // Fall through: the subscriptions' own read will fail and report the error.
    }
    for (const subscription of this.subscriptions) subscription.notify();
  }
}

/** What the `occurred_at` column can hold of a value the metadata type says is a string. */
function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function revisionHolds(expected: ExpectedRevision, last: bigint | undefined): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return last === undefined;
  return last === expected;
}

function count(value: number, min: number): bigint {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`maxCount must be an integer of at least ${min}, got ${value}`);
  }
  return BigInt(value);
}

/** Runs synchronous driver work and reports its outcome, including a throw, as a promise. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}

/** `settle`, after the event loop has run what was waiting (I/O, timers). */
function settleLater<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => setImmediate(() => resolve(settle(work))));
}
