import { open, type FileHandle } from 'node:fs/promises';
import { WalMerger } from './wal-merger';

/** The file system calls `WalDurability` makes; tests hold or fail them. */
export interface WalFiles {
  open(path: string): Promise<Pick<FileHandle, 'datasync' | 'close'>>;
}

const nodeFiles: WalFiles = { open: (path) => open(path, 'r') };

export interface WalDurabilityOptions {
  /** Merge the WAL into the database once about this many bytes were committed. */
  readonly mergeAfterBytes?: number;
  readonly files?: WalFiles;
  /** Where a merge that failed is reported (it is retried with the next one). */
  readonly onMergeError?: (error: Error) => void;
}

/** The WAL holds about this much before a merge: SQLite's own default (1000 pages of 4 KiB). */
const DEFAULT_MERGE_AFTER_BYTES = 4 * 1024 * 1024;

export class EventStoreNotDurable extends Error {
  constructor(cause: unknown) {
    super(
      `Could not make the event store's write-ahead log durable (${String(cause)}); ` +
        'appends are refused until the process restarts',
      { cause },
    );
    this.name = 'EventStoreNotDurable';
  }
}

/**
 * Makes commits durable without holding the event loop for the disk.
 *
 * With `synchronous = FULL` SQLite fsyncs the write-ahead log inside every commit: on the thread
 * that commits, which in Node is the one answering requests. On the shared disks these machines
 * have, one fsync took 5–8 ms and now and then over 100 ms, and every verification in flight
 * waited for it. Instead the connection commits with `synchronous = NORMAL` (nothing synced at
 * commit) and `append` resolves only after an `fdatasync` of the log file, run on libuv's thread
 * pool, that started after the commit: an acknowledged event is on disk exactly as with FULL,
 * where a commit is durable once its log frames are synced. Appends that commit while a sync is
 * running share the next one (group commit).
 *
 * SQLite's automatic checkpoints would also sync (the log, then the database file) inside a
 * commit, so they are off for this connection; a merger thread with its own connection
 * copies the log into the database instead, once about `mergeAfterBytes` were committed.
 * What stays on the committing thread is SQLite syncing the log header when it starts reusing
 * the log after a merge: one sync per merge instead of one per commit.
 *
 * Events become visible to readers when they commit, a moment before they are durable; they
 * are acknowledged to the writer only once durable. A failed sync cannot say which commits
 * reached the disk, so after one every append is refused until the process restarts (as
 * PostgreSQL does after a failed fsync) instead of acknowledging writes that may be lost.
 */
export class WalDurability {
  private readonly files: WalFiles;
  private readonly mergeAfterBytes: number;
  private wal: Promise<Pick<FileHandle, 'datasync' | 'close'>> | undefined;
  /** The sync running now, if any. */
  private running: Promise<void> | undefined;
  /** The sync that starts when `running` ends, shared by every commit made meanwhile. */
  private next: Promise<void> | undefined;
  private failure: EventStoreNotDurable | undefined;
  private unmergedBytes = 0;
  private merger: WalMerger | undefined;

  constructor(
    private readonly databaseFile: string,
    private readonly options: WalDurabilityOptions = {},
  ) {
    this.files = options.files ?? nodeFiles;
    this.mergeAfterBytes = options.mergeAfterBytes ?? DEFAULT_MERGE_AFTER_BYTES;
  }

  /** Throws once a sync has failed: nothing may be committed that cannot be made durable. */
  assertWritable(): void {
    if (this.failure) throw this.failure;
  }

  /** Resolves once everything committed before the call is on disk. */
  committed(bytes: number): Promise<void> {
    this.unmergedBytes += bytes;
    if (this.unmergedBytes >= this.mergeAfterBytes) {
      this.unmergedBytes = 0;
      this.merger ??= new WalMerger(this.databaseFile, this.options.onMergeError);
      this.merger.request();
    }
    if (!this.running) {
      this.running = this.syncOnce();
      return this.running;
    }
    this.next ??= this.running.then(
      () => this.startNext(),
      () => this.startNext(),
    );
    return this.next;
  }

  /** Waits for the syncs under way, then stops the merger and closes the log file. */
  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.next]);
    await this.merger?.close();
    const wal = await this.wal?.catch(() => undefined);
    await wal?.close();
  }

  private startNext(): Promise<void> {
    this.next = undefined;
    this.running = this.syncOnce();
    return this.running;
  }

  private async syncOnce(): Promise<void> {
    try {
      if (this.failure) throw this.failure;
      // Opened once the log exists (a commit created it) and kept open with the connection,
      // which keeps SQLite from deleting the file while we hold it.
      this.wal ??= this.files.open(`${this.databaseFile}-wal`);
      await (await this.wal).datasync();
    } catch (error) {
      this.failure ??=
        error instanceof EventStoreNotDurable ? error : new EventStoreNotDurable(error);
      throw this.failure;
    } finally {
      if (!this.next) this.running = undefined;
    }
  }
}
