import { createReadStream, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ExportVerifier } from './export-verifier';
import { LinePool, type BatchRecords } from './line-pool';
import { LineStatus } from './line-worker-source';
import { readPrepared } from './prepared-event';
import type { TrustedKeys } from './trusted-keys';
import { LineProblem, problem, VerificationFailure } from './verification-failure';
import type { VerificationReport } from './verification-report';

export type VerificationOutcome =
  | { readonly ok: true; readonly report: VerificationReport }
  | { readonly ok: false; readonly failure: VerificationFailure };

export interface VerifyOptions {
  /**
   * Worker threads that parse and hash the lines (the checks that follow one line from another
   * stay on the calling thread); 0 verifies on the calling thread alone. Default: one per CPU
   * (`os.availableParallelism()`).
   */
  readonly threads?: number;
  /**
   * How many bytes are verified on the calling thread before the workers start (rounded up to
   * the chunk that crosses it): for a small export starting them costs more than they save.
   */
  readonly parallelFromBytes?: number;
  /** Bytes of whole lines per batch handed to a worker (a longer line is a batch of its own). */
  readonly batchBytes?: number;
  /** Threads to use instead of starting `threads` new ones (tests run many exports); not closed. */
  readonly pool?: LinePool;
}

/** About 2,800 lines of a busy tenant's export; the pool costs some 50 ms to start. */
const PARALLEL_FROM_BYTES = 4 * 1024 * 1024;
const BATCH_BYTES = 512 * 1024;
/** Batches on their way per worker: enough to keep each busy while the results are applied. */
const IN_FLIGHT_PER_THREAD = 3;
const NEWLINE = 0x0a;
/** No audit export line comes near this; past it the file is not one. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

export function defaultVerifyThreads(): number {
  return availableParallelism();
}

/**
 * Verifies an export given as a byte stream. Never throws for anything in the export: every
 * problem, down to a file that is not text at all, comes back as the first failure. Whatever
 * `options` say, the outcome is the same, byte for byte: the workers only prepare lines, and
 * the calling thread checks them in file order with the same code (see line-worker-source.ts).
 * `onBytes` is told how many bytes of the stream have been verified, for progress.
 */
export async function verifyExport(
  chunks: AsyncIterable<Buffer | string>,
  keys: TrustedKeys,
  onBytes?: (bytesVerified: number) => void,
  options: VerifyOptions = {},
): Promise<VerificationOutcome> {
  const run = new VerificationRun(new ExportVerifier(keys), onBytes, options);
  try {
    return { ok: true, report: await run.verify(chunks) };
  } catch (error) {
    if (error instanceof VerificationFailure) return { ok: false, failure: error };
    if (error instanceof LineProblem)
      return { ok: false, failure: new VerificationFailure(run.lines + 1, null, error.message) };
    throw error;
  } finally {
    await run.close();
  }
}

/** Verifies the export in `file`; file-system errors (missing file, …) are thrown as they come. */
export async function verifyExportFile(
  file: string,
  keys: TrustedKeys,
  onProgress?: (bytesRead: number, totalBytes: number) => void,
  options: VerifyOptions = {},
): Promise<VerificationOutcome> {
  const total = statSync(file).size;
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
  return verifyExport(
    stream as AsyncIterable<Buffer>,
    keys,
    (read) => onProgress?.(read, total),
    options,
  );
}

interface Batch {
  readonly bytes: Buffer;
  readonly records: Promise<BatchRecords>;
  /** Where the batch ends in the stream. */
  readonly endsAt: number;
}

/**
 * Splits the stream into whole lines, verifies the first of them on this thread, then hands
 * batches of lines to the pool and applies the answers in order as they come back.
 */
class VerificationRun {
  /** Lines given to the verifier so far. */
  lines = 0;
  private pool: LinePool | undefined;
  private readonly ownPool: boolean;
  private readonly given: LinePool | undefined;
  private readonly queue: Batch[] = [];
  private readonly threads: number;
  private readonly parallelFrom: number;
  private readonly batchBytes: number;

  constructor(
    private readonly verifier: ExportVerifier,
    private readonly onBytes: ((bytesVerified: number) => void) | undefined,
    options: VerifyOptions,
  ) {
    this.given = options.pool;
    this.ownPool = options.pool === undefined;
    this.threads = options.pool
      ? options.pool.threads
      : Math.max(0, Math.floor(options.threads ?? defaultVerifyThreads()));
    this.parallelFrom = options.parallelFromBytes ?? PARALLEL_FROM_BYTES;
    this.batchBytes = Math.max(1, options.batchBytes ?? BATCH_BYTES);
  }

  async verify(chunks: AsyncIterable<Buffer | string>): Promise<VerificationReport> {
    let carry: Buffer = Buffer.alloc(0);
    let read = 0;
    for await (const chunk of chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      const before = read;
      read += bytes.length;
      const last = bytes.lastIndexOf(NEWLINE);
      if (last === -1) {
        carry = Buffer.concat([carry, bytes]);
      } else {
        const head = bytes.subarray(0, last + 1);
        const region = carry.length > 0 ? Buffer.concat([carry, head]) : head;
        carry = Buffer.from(bytes.subarray(last + 1));
        if (this.pool === undefined && (this.threads === 0 || before < this.parallelFrom)) {
          this.acceptAll(region);
        } else {
          await this.dispatch(region, read - carry.length);
        }
      }
      if (carry.length > MAX_LINE_BYTES) {
        await this.drain();
        problem('a line is longer than 64 MiB: this is not an audit export');
      }
      if (this.queue.length === 0) this.onBytes?.(read);
    }
    await this.drain();
    if (this.pool) this.onBytes?.(read);
    return this.verifier.finish(carry.length > 0);
  }

  async close(): Promise<void> {
    if (this.ownPool) await this.pool?.close();
  }

  /** On this thread, line by line, as the verifier has always read them. */
  private acceptAll(region: Buffer): void {
    let start = 0;
    for (let end = region.indexOf(NEWLINE); end !== -1; end = region.indexOf(NEWLINE, start)) {
      this.lines++;
      this.verifier.accept(region.subarray(start, end));
      start = end + 1;
    }
  }

  private async dispatch(region: Buffer, endsAt: number): Promise<void> {
    this.pool ??= this.given ?? new LinePool(this.threads);
    const limit = this.threads * IN_FLIGHT_PER_THREAD;
    for (let start = 0; start < region.length;) {
      const cut = region.indexOf(NEWLINE, Math.min(start + this.batchBytes, region.length) - 1);
      const bytes = region.subarray(start, cut + 1);
      start = cut + 1;
      while (this.queue.length >= limit) await this.applyNext();
      const records = this.pool.submit(bytes);
      records.catch(() => undefined); // awaited in turn; a run that stops early drops it
      this.queue.push({ bytes, records, endsAt: endsAt - (region.length - start) });
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.applyNext();
  }

  private async applyNext(): Promise<void> {
    const batch = this.queue[0];
    const { out, anyOther, leaves: leafBytes } = await batch.records;
    const leaves = Buffer.from(leafBytes);
    this.queue.shift();
    const { bytes } = batch;
    // Without the trailer (or anything that might be it) among the lines, the export digest
    // can take the batch in one go; the verifier then skips the per-line update.
    const digested = !anyOther;
    if (digested) this.verifier.digestBytes(bytes);
    for (let i = 0; i < out.length;) {
      const status = out[i] as number;
      const raw = bytes.subarray(out[i + 1] as number, out[i + 2] as number);
      this.lines++;
      if (status === LineStatus.Fast) {
        const [prepared, next] = readPrepared(out, i, leaves);
        if (this.verifier.takesPreparedEvents)
          this.verifier.acceptPrepared(raw, prepared, digested);
        else this.verifier.accept(raw, digested);
        i = next;
      } else {
        this.verifier.accept(raw, digested);
        i += 3;
      }
    }
    this.onBytes?.(batch.endsAt);
  }
}
