import type { VerifiedKey } from '../../keys';

/**
 * Verify uses recorded but not yet summed into their counters, in the order they came. A use
 * writes one slot (its key) of a preallocated column; the endpoint and time it shares with the
 * uses before it are written once per run of such uses (a new run starts whenever one of them
 * changes, at most every millisecond under load). Recording thus touches no per-key memory: on
 * the verify hot path that costs a fraction of finding the key's counter, which the buffer does
 * a little later for the whole batch, while the keys' objects are still in cache.
 */
export class PendingUses {
  readonly keys: (VerifiedKey | undefined)[];
  /** Where run `r` starts in `keys`; run `r` ends where `r + 1` starts, or at `length`. */
  readonly runStarts: Int32Array;
  readonly runEndpoints: string[];
  readonly runAtMs: Float64Array;
  length = 0;
  runs = 0;
  // The current run's values: most uses compare equal to them and write nothing else.
  private endpoint = '';
  private atMs = Number.NaN;

  constructor(readonly capacity: number) {
    // Filled, not holey: the arrays keep one element kind for good.
    this.keys = new Array<VerifiedKey | undefined>(capacity).fill(undefined);
    this.runStarts = new Int32Array(capacity);
    this.runEndpoints = new Array<string>(capacity).fill('');
    this.runAtMs = new Float64Array(capacity);
  }

  /** Appends one use (the caller keeps `length` below `capacity`); returns the new length. */
  push(key: VerifiedKey, endpoint: string, atMs: number): number {
    const slot = this.length;
    if (atMs !== this.atMs || endpoint !== this.endpoint) this.startRun(slot, endpoint, atMs);
    this.keys[slot] = key;
    return (this.length = slot + 1);
  }

  /** Forgets every pending use (after they were summed). */
  clear(): void {
    this.length = 0;
    this.runs = 0;
    this.atMs = Number.NaN;
  }

  private startRun(slot: number, endpoint: string, atMs: number): void {
    const run = this.runs++;
    this.runStarts[run] = slot;
    this.runEndpoints[run] = endpoint;
    this.runAtMs[run] = atMs;
    this.endpoint = endpoint;
    this.atMs = atMs;
  }
}
