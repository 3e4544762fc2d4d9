import { hexDigit } from '../../../columnar/hex-digit';
import { NumberColumn } from '../../../columnar/number-column';
import { RowTable } from '../../../columnar/row-table';

const DIGEST_BYTES = 32;
const DIGEST_WORDS = DIGEST_BYTES / 4;

/**
 * Rows by key hash, for the verify hot path. Each hash is held as its 32 bytes, and a `RowTable`
 * maps it to its row: 48 to 64 bytes a key, where a `Map` keyed by the hex text costs some 130
 * and gives the garbage collector a string and an entry to trace. A look-up reads the hex into
 * a scratch array and compares words: it allocates nothing. SHA-256 output is uniform, so its
 * first word is a good hash.
 */
export class KeyHashIndex {
  private readonly digests = new NumberColumn((n) => new Int32Array(n), DIGEST_WORDS);
  private readonly table = new RowTable();
  private readonly probe = new Int32Array(DIGEST_WORDS);
  /** Hashes that are not 64 lowercase hex digits (none in a store Keyledger wrote). */
  private readonly irregularRows = new Map<string, number>();
  private readonly irregularHashes = new Map<number, string>();

  /**
   * Indexes `row` under `keyHash`, once per row (a key's hash never changes). Should another
   * row have the same hash, look-ups find the later one.
   */
  add(row: number, keyHash: string): void {
    if (!parseDigest(keyHash, this.probe)) {
      this.irregularRows.set(keyHash, row);
      this.irregularHashes.set(row, keyHash);
      return;
    }
    this.digests.chunkOf(row).set(this.probe, this.digests.offsetOf(row));
    this.table.put(this.slotOfProbe(), row, this.probe[0]);
  }

  /** The row indexed under `keyHash`, or -1. */
  find(keyHash: string): number {
    if (!parseDigest(keyHash, this.probe)) return this.irregularRows.get(keyHash) ?? -1;
    return this.table.rowAt(this.slotOfProbe());
  }

  /** The hash `row` was indexed under, as given. */
  hashOf(row: number): string {
    const irregular = this.irregularHashes.get(row);
    if (irregular !== undefined) return irregular;
    const chunk = this.digests.chunkOf(row);
    const base = this.digests.offsetOf(row);
    let hex = '';
    for (let i = 0; i < DIGEST_WORDS; i++)
      hex += (chunk[base + i] >>> 0).toString(16).padStart(8, '0');
    return hex;
  }

  /** The slot of the row whose digest is in `probe`, or the empty slot where it belongs. */
  private slotOfProbe(): number {
    const probe = this.probe;
    for (let at = this.table.first(probe[0]); ; at = this.table.next(at)) {
      const row = this.table.rowAt(at);
      if (row < 0 || (this.table.hashAt(at) === probe[0] && this.holds(row, probe))) return at;
    }
  }

  private holds(row: number, probe: Int32Array): boolean {
    const chunk = this.digests.chunkOf(row);
    const base = this.digests.offsetOf(row);
    for (let i = 0; i < DIGEST_WORDS; i++) if (chunk[base + i] !== probe[i]) return false;
    return true;
  }
}

/**
 * Reads a hash that is 64 lowercase hex digits (the only form Keyledger writes) into eight
 * words; false for anything else. A loop over char codes, not a RegExp and `Buffer.write`:
 * this runs on every verification.
 */
function parseDigest(hex: string, into: Int32Array): boolean {
  if (hex.length !== DIGEST_BYTES * 2) return false;
  // Digit values or'ed together: negative once any character was not a hex digit.
  let seen = 0;
  for (let word = 0; word < DIGEST_WORDS; word++) {
    let value = 0;
    for (let i = word * 8; i < word * 8 + 8; i++) {
      const digit = hexDigit(hex.charCodeAt(i));
      seen |= digit;
      value = (value << 4) | (digit & 0xf);
    }
    into[word] = value;
  }
  return seen >= 0;
}
