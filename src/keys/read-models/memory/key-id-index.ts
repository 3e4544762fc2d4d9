import { hexDigit } from '../../../columnar/hex-digit';
import { NumberColumn } from '../../../columnar/number-column';
import { RowTable } from '../../../columnar/row-table';

const UUID_LENGTH = 36;
const UUID_WORDS = 4;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * Each row's key id, and rows by key id: a UUID is held as its 16 bytes (not a 36-character heap
 * string) and found through a `RowTable` keyed by a mix of its words: 32 to 48 bytes a key.
 * Reading a looked-up id into a scratch array allocates nothing.
 */
export class KeyIdIndex {
  private readonly words = new NumberColumn((n) => new Int32Array(n), UUID_WORDS);
  private readonly table = new RowTable();
  private readonly probe = new Int32Array(UUID_WORDS);
  /** Ids that are not lowercase UUIDs, by row. */
  private readonly irregular = new Map<number, string>();
  /**
   * The UUID the last `find` did not find, whose words are still in `probe`, with its hash and
   * the empty slot its walk ended at: adding it next (as a directory does with a new key) neither
   * parses it nor walks the table again.
   */
  private missedId: string | undefined;
  private missedHash = 0;
  private missedSlot = -1;

  /** Indexes `row` under `keyId`, which no other row has. */
  add(row: number, keyId: string): void {
    const missed = keyId === this.missedId;
    this.missedId = undefined;
    const probe = this.probe;
    if (!missed && !parseUuid(keyId, probe)) {
      this.words.chunkOf(row);
      this.irregular.set(row, keyId);
      this.table.add(row, hashText(keyId));
      return;
    }
    const chunk = this.words.chunkOf(row);
    const base = this.words.offsetOf(row);
    chunk[base] = probe[0];
    chunk[base + 1] = probe[1];
    chunk[base + 2] = probe[2];
    chunk[base + 3] = probe[3];
    if (missed) this.table.put(this.missedSlot, row, this.missedHash);
    else this.table.add(row, mix(probe[0], probe[1], probe[2], probe[3]));
  }

  /** The row indexed under `keyId`, or -1. */
  find(keyId: string): number {
    const probe = this.probe;
    this.missedId = undefined;
    if (!parseUuid(keyId, probe)) return this.findIrregular(keyId);
    const hash = mix(probe[0], probe[1], probe[2], probe[3]);
    for (let at = this.table.first(hash); ; at = this.table.next(at)) {
      const row = this.table.rowAt(at);
      if (row < 0) {
        this.missedId = keyId;
        this.missedHash = hash;
        this.missedSlot = at;
        return -1;
      }
      if (this.table.hashAt(at) === hash && this.holds(row, probe)) return row;
    }
  }

  idOf(row: number): string {
    const irregular = this.irregular.get(row);
    if (irregular !== undefined) return irregular;
    const chunk = this.words.chunkOf(row);
    const base = this.words.offsetOf(row);
    let hex = '';
    for (let i = 0; i < UUID_WORDS; i++) {
      const word = chunk[base + i];
      hex += HEX[(word >>> 24) & 0xff] + HEX[(word >>> 16) & 0xff];
      hex += HEX[(word >>> 8) & 0xff] + HEX[word & 0xff];
    }
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  private holds(row: number, probe: Int32Array): boolean {
    const chunk = this.words.chunkOf(row);
    const base = this.words.offsetOf(row);
    return (
      chunk[base] === probe[0] &&
      chunk[base + 1] === probe[1] &&
      chunk[base + 2] === probe[2] &&
      chunk[base + 3] === probe[3] &&
      !this.irregular.has(row)
    );
  }

  private findIrregular(keyId: string): number {
    const hash = hashText(keyId);
    for (let at = this.table.first(hash); ; at = this.table.next(at)) {
      const row = this.table.rowAt(at);
      if (row < 0) return -1;
      if (this.table.hashAt(at) === hash && this.irregular.get(row) === keyId) return row;
    }
  }
}

/**
 * Reads a lowercase UUID (the form `IdGenerator` gives key ids) into four big-endian words;
 * false for anything else, which is then kept as text.
 */
function parseUuid(id: string, into: Int32Array): boolean {
  if (id.length !== UUID_LENGTH) return false;
  let word = 0;
  let digits = 0;
  for (let i = 0; i < UUID_LENGTH; i++) {
    const code = id.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 0x2d) return false; // '-'
      continue;
    }
    const digit = hexDigit(code);
    if (digit < 0) return false;
    word = (word << 4) | digit;
    if (++digits % 8 === 0) {
      into[digits / 8 - 1] = word;
      word = 0;
    }
  }
  return true;
}

/** All four words matter: time-ordered UUIDs (v1, v7) share their leading bits. */
function mix(w0: number, w1: number, w2: number, w3: number): number {
  let hash = Math.imul(w0 ^ Math.imul(w1, 0x9e3779b1), 0x85ebca6b);
  hash ^= Math.imul(w2 ^ Math.imul(w3, 0x9e3779b1), 0xc2b2ae35);
  return Math.imul(hash ^ (hash >>> 16), 0x85ebca6b) ^ (hash >>> 13);
}

/** FNV-1a over the UTF-16 code units, finished so that the low bits mix well. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
}
