import type { StatusClass, UsageCount } from '../domain/usage-recorded';
import { UsageCounters } from './usage-counters';
import type { UsageSink } from './usage-sink.port';

const MINUTE_MS = 60_000;

/** A counter of the buffer, summing in place. */
export type UsageCell = { -readonly [F in keyof UsageCount]: UsageCount[F] };

/**
 * A counter as the buffer holds it. A key's first counter is also where its others are found:
 * `last` is the one used last (most uses repeat it, and for a key with a single counter it is
 * the counter itself, so a use touches one object), `all` holds every one once there are two.
 */
interface BufferedCell extends UsageCell {
  last: BufferedCell | undefined;
  all: Map<string, BufferedCell> | undefined;
}

/**
 * The usage buffer. Memory is bounded by `maxEntries` distinct counters, counting both the ones
 * still summing and the ones a flush has taken but not yet written. Half full, it asks for an
 * early flush; full, a use that needs a new counter is dropped and counted (a use of an existing
 * counter still fits: it needs no memory). On the hot path a use of the same key, endpoint,
 * status class and minute as that key's previous use costs one Map lookup by key id and three
 * comparisons on the object it finds: nothing is allocated.
 */
export class UsageAccumulator implements UsageSink {
  readonly counters = new UsageCounters();
  /** Each key's first counter. */
  private active = new Map<string, BufferedCell>();
  /** Counters summing in `active`. */
  private cells = 0;
  /** Counters taken by a flush and not yet written or given back. */
  private taken = 0;
  private readonly flushThreshold: number;
  private onHalfFull: () => void = () => undefined;
  // The minute of the previous use: most uses fall in it, and two comparisons beat a modulo.
  private minuteStart = 0;
  private minuteEnd = 0;

  constructor(readonly maxEntries: number) {
    this.flushThreshold = Math.max(1, Math.floor(maxEntries / 2));
  }

  /** Called (synchronously, from `record`) each time the buffer reaches half its bound. */
  whenHalfFull(listener: () => void): void {
    this.onHalfFull = listener;
  }

  record(
    keyId: string,
    tenantId: string,
    endpoint: string,
    status: StatusClass,
    atMs: number,
    latencyMs?: number,
  ): void {
    if (atMs < this.minuteStart || atMs >= this.minuteEnd) {
      this.minuteStart = Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
      this.minuteEnd = this.minuteStart + MINUTE_MS;
    }
    const minuteMs = this.minuteStart;
    const head = this.active.get(keyId);
    let cell = head && find(head, endpoint, status, minuteMs);
    if (cell === undefined) {
      if (this.cells + this.taken >= this.maxEntries) {
        this.counters.dropped++;
        return;
      }
      cell = this.insert(keyId, tenantId, endpoint, status, minuteMs, atMs, head);
      if (this.cells === this.flushThreshold) this.onHalfFull();
    }
    cell.uses++;
    if (atMs > cell.lastUsedMs) cell.lastUsedMs = atMs;
    if (latencyMs !== undefined) {
      cell.latencyMsSum += latencyMs;
      cell.latencyCount++;
    }
    this.counters.recorded++;
  }

  /** Whether `count` uses are sure to fit, even if each needs a counter of its own. */
  hasRoomFor(count: number): boolean {
    return this.cells + this.taken + count <= this.maxEntries;
  }

  /** Distinct counters held: summing, or taken by a flush and not yet written. */
  size(): number {
    return this.cells + this.taken;
  }

  /** Hands every counter to a flush; they keep their memory until `written` or `giveBack`. */
  take(): UsageCell[] {
    const cells: UsageCell[] = [];
    for (const head of this.active.values()) {
      if (head.all) for (const cell of head.all.values()) cells.push(cell);
      else cells.push(head);
    }
    this.active = new Map();
    this.cells = 0;
    this.taken += cells.length;
    return cells;
  }

  /** The store holds `cells` now: their memory is free. */
  written(cells: readonly UsageCell[]): void {
    this.taken -= cells.length;
    this.counters.flushes++;
    for (const cell of cells) this.counters.flushed += cell.uses;
  }

  /** The store did not take `cells`: they are summed back in, for the next flush. */
  giveBack(cells: readonly UsageCell[]): void {
    this.taken -= cells.length;
    for (const cell of cells) {
      const { keyId, tenantId, endpoint, status, minuteMs } = cell;
      const head = this.active.get(keyId);
      const current =
        (head && find(head, endpoint, status, minuteMs)) ??
        this.insert(keyId, tenantId, endpoint, status, minuteMs, cell.lastUsedMs, head);
      current.uses += cell.uses;
      current.lastUsedMs = Math.max(current.lastUsedMs, cell.lastUsedMs);
      current.latencyMsSum += cell.latencyMsSum;
      current.latencyCount += cell.latencyCount;
    }
  }

  /** `cells` can never be written (the store is gone at shutdown): count them as dropped. */
  abandon(cells: readonly UsageCell[]): void {
    this.taken -= cells.length;
    for (const cell of cells) this.counters.dropped += cell.uses;
  }

  /** A new, empty counter, found through the key's first counter from now on. */
  private insert(
    keyId: string,
    tenantId: string,
    endpoint: string,
    status: StatusClass,
    minuteMs: number,
    atMs: number,
    head: BufferedCell | undefined,
  ): BufferedCell {
    const cell: BufferedCell = {
      keyId,
      tenantId,
      endpoint,
      status,
      minuteMs,
      uses: 0,
      lastUsedMs: atMs,
      latencyMsSum: 0,
      latencyCount: 0,
      last: undefined,
      all: undefined,
    };
    this.cells++;
    if (head === undefined) {
      cell.last = cell;
      this.active.set(keyId, cell);
      return cell;
    }
    head.all ??= new Map([[counterId(head), head]]);
    head.all.set(counterId(cell), cell);
    head.last = cell;
    return cell;
  }
}

/** The key's counter for this endpoint, class and minute, which becomes its `last`; or none. */
function find(
  head: BufferedCell,
  endpoint: string,
  status: StatusClass,
  minuteMs: number,
): BufferedCell | undefined {
  const last = head.last as BufferedCell;
  if (last.minuteMs === minuteMs && last.status === status && last.endpoint === endpoint) {
    return last;
  }
  const cell = head.all?.get(counterId({ endpoint, status, minuteMs }));
  if (cell) head.last = cell;
  return cell;
}

/** Unambiguous within a key: classes share no prefix with digits, the endpoint comes last. */
function counterId(cell: Pick<UsageCell, 'endpoint' | 'status' | 'minuteMs'>): string {
  return `${cell.status}${cell.minuteMs}|${cell.endpoint}`;
}
