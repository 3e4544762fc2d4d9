import { Worker } from 'node:worker_threads';
import { LINE_WORKER_SOURCE } from './line-worker-source';

/** A worker's answer for one batch: the records of line-worker-source.ts, in line order. */
export interface BatchRecords {
  readonly out: readonly unknown[];
  /** Whether a line is LineStatus.AnyOther (the header, the trailer, garbage). */
  readonly anyOther: boolean;
  /** 64 bytes per sealed event: its leaf in the checkpoint's tree, then in the tenant tree. */
  readonly leaves: ArrayBuffer;
}

/**
 * A few threads running LINE_WORKER_SOURCE. Batches go round-robin; each `submit` answers with
 * the batch's records. The threads are unreferenced: they never keep the process alive.
 */
export class LinePool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (out: BatchRecords) => void; reject: (error: Error) => void }
  >();
  private nextId = 0;
  private failed: Error | undefined;

  constructor(readonly threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(LINE_WORKER_SOURCE, { eval: true });
      worker.unref();
      worker.on('message', (reply: BatchRecords & { id: number }) => {
        const entry = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        entry?.resolve(reply);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (this.waiting.size > 0) this.fail(new Error(`a verify worker exited (code ${code})`));
      });
      this.workers.push(worker);
    }
  }

  /** Whole lines, each ending with a newline; the bytes are copied for the worker. */
  submit(lines: Buffer): Promise<BatchRecords> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    const copy = new Uint8Array(lines.length);
    copy.set(lines);
    return new Promise<BatchRecords>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length].postMessage({ id, bytes: copy.buffer }, [copy.buffer]);
    });
  }

  /** Ends the threads; answers still due are dropped. */
  async close(): Promise<void> {
    this.failed ??= new Error('the verify threads are closed');
    this.waiting.clear();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const entry of this.waiting.values()) entry.reject(error);
    this.waiting.clear();
  }
}
