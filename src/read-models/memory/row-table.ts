/**
 * Row numbers by a 32-bit hash of their key, in one `Int32Array`: open addressing with linear
 * probing, never more than half full, so 8 to 16 bytes a row. It holds no keys: the caller walks
 * the slots from `first(hash)` and compares each row's key itself, and gives `hashOf` so that the
 * table can rehash as it grows.
 */
export class RowTable {
  /** Row + 1 per slot; 0 is empty. */
  private slots = new Int32Array(2048);
  private count = 0;

  constructor(private readonly hashOf: (row: number) => number) {}

  /** The slot where rows with this hash start. */
  first(hash: number): number {
    return hash & (this.slots.length - 1);
  }

  next(slot: number): number {
    return (slot + 1) & (this.slots.length - 1);
  }

  /** The row in `slot`; -1 for an empty slot, which ends a walk. */
  rowAt(slot: number): number {
    return this.slots[slot] - 1;
  }

  /**
   * Puts `row` in `slot`: an empty slot where a walk for its key ended, or the slot of a row
   * with the same key, which it replaces.
   */
  put(slot: number, row: number): void {
    const fresh = this.slots[slot] === 0;
    this.slots[slot] = row + 1;
    if (fresh && ++this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
  }

  /** Puts `row`, whose key no other row has, in the first empty slot of its walk. */
  add(row: number, hash: number): void {
    this.put(this.emptySlot(hash), row);
  }

  private emptySlot(hash: number): number {
    let slot = this.first(hash);
    while (this.slots[slot] !== 0) slot = this.next(slot);
    return slot;
  }

  private rehash(size: number): void {
    const old = this.slots;
    this.slots = new Int32Array(size);
    for (const entry of old)
      if (entry !== 0) this.slots[this.emptySlot(this.hashOf(entry - 1))] = entry;
  }
}
