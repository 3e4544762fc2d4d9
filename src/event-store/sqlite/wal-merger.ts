import { Worker } from 'node:worker_threads';

/**
 * The merger's thread: its own connection to the database, running a PASSIVE `wal_checkpoint` (SQLite's word; here a merge)
 * (copy the log's frames into the database file, sync both; never waits for readers or the
 * writer) whenever asked. Plain JavaScript given as source: it needs only the driver, and a
 * worker cannot load this module's TypeScript when the code runs from sources (tests).
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { timeout: workerData.busyTimeoutMs });
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, row });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message || error) });
  }
});
`;

interface MergeReply {
  readonly ok: boolean;
  readonly row?: { busy: number; log: number; checkpointed: number };
  readonly message?: string;
}

/** How long the merger waits for the write lock of a merge another one holds. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Merges the write-ahead log of `filename` on another thread, one at a time: a request
 * while one runs is remembered and run after it. Started on first use.
 */
export class WalMerger {
  private readonly worker: Worker;
  private running = false;
  private requested = false;
  private closing: Promise<void> | undefined;
  /** Merges completed, for tests and metrics. */
  completed = 0;

  constructor(
    filename: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    this.worker = new Worker(SOURCE, {
      eval: true,
      workerData: {
        filename,
        driver: require.resolve('better-sqlite3'),
        busyTimeoutMs: BUSY_TIMEOUT_MS,
      },
    });
    // The thread alone must not keep the process alive.
    this.worker.unref();
    this.worker.on('message', (reply: MergeReply) => this.settled(reply));
    this.worker.on('error', (error) => this.onError(error));
  }

  request(): void {
    if (this.closing) return;
    if (this.running) {
      this.requested = true;
      return;
    }
    this.running = true;
    this.worker.postMessage('merge');
  }

  /** Lets a running merge finish, then ends the thread. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      // Awaited, the thread's end must keep the process alive: unreferenced, a process with
      // nothing else to do exited before it, and a closing store's caller never went on.
      this.worker.ref();
      this.worker.once('exit', () => resolve());
      if (!this.running) this.worker.postMessage('close');
      else this.requested = false;
    });
    return this.closing;
  }

  private settled(reply: MergeReply): void {
    this.running = false;
    if (reply.ok) this.completed += 1;
    else this.onError(new Error(`WAL merge failed: ${reply.message}`));
    if (this.closing) {
      this.worker.postMessage('close');
    } else if (this.requested) {
      this.requested = false;
      this.request();
    }
  }
}
