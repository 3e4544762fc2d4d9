import type { StatusClass } from '../domain/usage-recorded';
import { ActiveCounters } from './active-counters';
import { PendingUses } from './pending-uses';
import { MINUTE_MS, UsageCounter } from './usage-counter';
import { UsageMetrics } from './usage-metrics';
import type { UsageSink, VerifiedKey } from '../../keys';

/** A counter as the buffer hands it to a flush: a UsageCount, summed in place until taken. */
export type UsageCell = UsageCounter;

/** Most verify uses held before they are summed: few enough that their keys are still cached. */
const PENDING_CAPACITY = 256;

/**
 * The usage buffer. Memory is bounded by `maxEntries` distinct counters, counting both the ones
 * still summing and the ones a flush has taken but not yet written. Half full, it asks for an
 * early flush; full, a use that needs a new counter is dropped and counted (a use of an existing
 * counter still fits: it needs no memory).
 *
 * A verify use (`recordVerified`, the hot path) is only appended to `pending`: no lookup, nothing
 * allocated. Pending uses are summed into their counters in one loop when `pending` fills up,
 * before the buffer could reach half full unseen, and before anything reads the buffer (`take`,
 * `size`, `counters`…); each costs one Map lookup by the key's object and a few comparisons on
 * its first counter. Reported uses (`record`, with a status class and latency) are summed at once.
 */
export class UsageAccumulator implements UsageSink {
  private readonly tallies = new UsageMetrics();
  private readonly pending = new PendingUses(PENDING_CAPACITY);
  /** Pending uses at which they are summed. */
  private sumAt: number;
  private readonly active: ActiveCounters;
  /** Counters summing in `active`. */
  private cells = 0;
  /** Counters taken by a flush and not yet written or given back. */
  private taken = 0;
  private readonly flushThreshold: number;
  private onHalfFull: () => void = () => undefined;
  // The minute of the last use summed: most uses fall in it, and two comparisons beat a division.
  private minute = 0;
  private minuteStartMs = 0;
  private minuteEndMs = 0;

  constructor(readonly maxEntries: number) {
    this.flushThreshold = Math.max(1, Math.floor(maxEntries / 2));
    this.active = new ActiveCounters(maxEntries);
    this.sumAt = this.nextSumAt();
  }

  /** What the buffer has done, pending uses included. */
  get metrics(): UsageMetrics {
    this.sumPending();
    return this.tallies;
  }

  /** Called (synchronously, while uses are summed) each time the buffer reaches half its bound. */
  whenHalfFull(listener: () => void): void {
    this.onHalfFull = listener;
  }

  /** A verify use (see UsageSink): appended to `pending`, summed with the next batch. */
  recordVerified(key: VerifiedKey, endpoint: string, atMs: number): void {
    if (this.pending.push(key, endpoint, atMs) >= this.sumAt) this.sumPending();
  }

  /** Counts one use of any status class, with its latency if reported, right away. */
  record(
    keyId: string,
    tenantId: string,
    endpoint: string,
    status: StatusClass,
    atMs: number,
    latencyMs?: number,
  ): void {
    const lastUseMs = this.enterMinuteOf(atMs);
    const head = this.active.headById(keyId);
    const counter =
      head?.find(endpoint, status, this.minute) ??
      this.newCounter(keyId, tenantId, endpoint, status, lastUseMs, head, undefined);
    if (counter === undefined) {
      this.tallies.dropped++;
      return;
    }
    counter.uses++;
    if (lastUseMs > counter.lastUseMs) counter.lastUseMs = lastUseMs;
    if (latencyMs !== undefined) {
      counter.latencyMsSum += latencyMs;
      counter.latencyCount++;
    }
    this.tallies.recorded++;
    this.sumAt = this.nextSumAt();
  }

  /** Whether `count` uses are sure to fit, even if each needs a counter of its own. */
  hasRoomFor(count: number): boolean {
    this.sumPending();
    return this.cells + this.taken + count <= this.maxEntries;
  }

  /** Distinct counters held: summing, or taken by a flush and not yet written. */
  size(): number {
    this.sumPending();
    return this.cells + this.taken;
  }

  /** Hands every counter to a flush; they keep their memory until `written` or `giveBack`. */
  take(): UsageCell[] {
    this.sumPending();
    const cells = this.active.takeAll();
    this.cells = 0;
    this.taken += cells.length;
    this.sumAt = this.nextSumAt();
    return cells;
  }

  /** The store holds `cells` now: their memory is free. */
  written(cells: readonly UsageCell[]): void {
    this.taken -= cells.length;
    this.tallies.flushes++;
    for (const cell of cells) this.tallies.flushed += cell.uses;
  }

  /** The store did not take `cells`: they are summed back in, for the next flush. */
  giveBack(cells: readonly UsageCell[]): void {
    this.taken -= cells.length;
    for (const cell of cells) {
      const { keyId, endpoint, status, minute, lastUseMs } = cell;
      const head = this.active.headById(keyId);
      const current =
        head?.find(endpoint, status, minute) ??
        this.insert(keyId, cell.tenantId, endpoint, status, minute, lastUseMs, head, undefined);
      current.uses += cell.uses;
      if (lastUseMs > current.lastUseMs) current.lastUseMs = lastUseMs;
      current.latencyMsSum += cell.latencyMsSum;
      current.latencyCount += cell.latencyCount;
    }
    this.sumAt = this.nextSumAt();
  }

  /** `cells` can never be written (the store is gone at shutdown): count them as dropped. */
  abandon(cells: readonly UsageCell[]): void {
    this.taken -= cells.length;
    for (const cell of cells) this.tallies.dropped += cell.uses;
  }

  /** Sums the pending uses into their counters, in the order they were recorded. */
  private sumPending(): void {
    const pending = this.pending;
    const { keys, runStarts, length, runs } = pending;
    if (length === 0) return;
    // Emptied first: a half-full listener that reads the buffer does not sum these twice.
    pending.clear();
    let summed = 0;
    for (let run = 0; run < runs; run++) {
      const endpoint = pending.runEndpoints[run];
      const lastUseMs = this.enterMinuteOf(pending.runAtMs[run]);
      const end = run + 1 < runs ? runStarts[run + 1] : length;
      for (let i = runStarts[run]; i < end; i++) {
        const key = keys[i] as VerifiedKey;
        const head = this.active.headOf(key);
        const counter =
          head?.find(endpoint, 'unknown', this.minute) ??
          this.newCounter(
            key.record.keyId,
            key.record.tenantId,
            endpoint,
            'unknown',
            lastUseMs,
            head,
            key,
          );
        if (counter === undefined) continue;
        counter.uses++;
        if (lastUseMs > counter.lastUseMs) counter.lastUseMs = lastUseMs;
        summed++;
      }
    }
    this.tallies.recorded += summed;
    this.tallies.dropped += length - summed;
    this.sumAt = this.nextSumAt();
  }

  /** Moves to the minute of `atMs` if need be; returns `atMs` in milliseconds into it. */
  private enterMinuteOf(atMs: number): number {
    if (atMs < this.minuteStartMs || atMs >= this.minuteEndMs) {
      this.minute = Math.floor(atMs / MINUTE_MS);
      this.minuteStartMs = this.minute * MINUTE_MS;
      this.minuteEndMs = this.minuteStartMs + MINUTE_MS;
    }
    return atMs - this.minuteStartMs;
  }

  /**
   * Pending uses may each need a new counter: below half full they are summed before they could
   * reach the mark, so that the early flush is asked for on time.
   */
  private nextSumAt(): number {
    const room = this.flushThreshold - this.cells;
    return room > 0 ? Math.min(room, this.pending.capacity) : this.pending.capacity;
  }

  /** A counter for a use in the current minute, if the bound leaves room for one. */
  private newCounter(
    keyId: string,
    tenantId: string,
    endpoint: string,
    status: StatusClass,
    lastUseMs: number,
    head: UsageCounter | undefined,
    key: VerifiedKey | undefined,
  ): UsageCounter | undefined {
    if (this.cells + this.taken >= this.maxEntries) return undefined;
    const { minute } = this;
    const counter = this.insert(keyId, tenantId, endpoint, status, minute, lastUseMs, head, key);
    if (this.cells === this.flushThreshold) this.onHalfFull();
    return counter;
  }

  /** A new, empty counter, found through the key's first counter from now on. */
  private insert(
    keyId: string,
    tenantId: string,
    endpoint: string,
    status: StatusClass,
    minute: number,
    lastUseMs: number,
    head: UsageCounter | undefined,
    key: VerifiedKey | undefined,
  ): UsageCounter {
    const counter = new UsageCounter(keyId, tenantId, endpoint, status, minute, lastUseMs);
    this.cells++;
    if (head === undefined) {
      counter.last = counter;
      this.active.addHead(counter, key);
    } else {
      head.adopt(counter);
    }
    return counter;
  }
}
