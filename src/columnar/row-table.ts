/** Slots in a new table; a power of two. */
const INITIAL_SLOTS = 2048;

/**
 * Row numbers by a 32-bit hash of their key, in one `Int32Array`: open addressing with linear
 * probing, never more than half full. Each slot holds the row and the hash it was put under, side
 * by side, so 16 to 32 bytes a row. It holds no keys: the caller walks the slots from
 * `first(hash)` and compares the key of each row whose `hashAt` is its hash. Keeping the hash
 * spares the walk a visit to the key of every other row it passes (a cache miss each, in a table
 * of millions), and growing a read of every key.
 */
export class RowTable {
  /** Per slot: row + 1 (0: empty), then the hash. */
  private entries = new Int32Array(2 * INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  private count = 0;

  /** The slot where rows with this hash start. */
  first(hash: number): number {
    return hash & this.mask;
  }

  next(slot: number): number {
    return (slot + 1) & this.mask;
  }

  /** The row in `slot`; -1 for an empty slot, which ends a walk. */
  rowAt(slot: number): number {
    return this.entries[2 * slot] - 1;
  }

  /** The hash the row in `slot` was put under. */
  hashAt(slot: number): number {
    return this.entries[2 * slot + 1];
  }

  /**
   * Puts `row` in `slot` under `hash`: an empty slot where a walk for its key ended, or the slot
   * of a row with the same key, which it replaces.
   */
  put(slot: number, row: number, hash: number): void {
    const fresh = this.entries[2 * slot] === 0;
    this.entries[2 * slot] = row + 1;
    this.entries[2 * slot + 1] = hash;
    if (fresh && ++this.count * 2 > this.mask + 1) this.grow();
  }

  /** Puts `row`, whose key no other row has, in the first empty slot of its walk. */
  add(row: number, hash: number): void {
    this.put(this.emptySlot(this.entries, hash), row, hash);
  }

  private emptySlot(entries: Int32Array, hash: number): number {
    let slot = hash & this.mask;
    while (entries[2 * slot] !== 0) slot = (slot + 1) & this.mask;
    return slot;
  }

  private grow(): void {
    const old = this.entries;
    const entries = new Int32Array(old.length * 2);
    this.mask = entries.length / 2 - 1;
    for (let at = 0; at < old.length; at += 2) {
      if (old[at] === 0) continue;
      const slot = this.emptySlot(entries, old[at + 1]);
      entries[2 * slot] = old[at];
      entries[2 * slot + 1] = old[at + 1];
    }
    this.entries = entries;
  }
}
