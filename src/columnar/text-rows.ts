import { NumberColumn } from './number-column';

const NULL = 0xffff;
/** Held as a string in `irregular`: too long for a 16-bit length, or a lone surrogate. */
const IRREGULAR = 0xfffe;
const MAX_LENGTH = 0xfffd;
const CHUNK_BITS = 22;
/** Bytes per arena chunk: 4 MiB. A row (at most columns × 64 KiB) always fits in one. */
const CHUNK_BYTES = 1 << CHUNK_BITS;
const OFFSET_MASK = CHUNK_BYTES - 1;
/** 32-bit starts address 1024 chunks of 4 MiB. */
const MAX_CHUNKS = 1024;
/** Compaction waits for at least this much unreferenced text, and more than there is live. */
const MIN_WASTE_TO_COMPACT = 8 * CHUNK_BYTES;
/** UTF-8 cannot carry a lone surrogate: such a value would not come back as it was written. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Values up to this many characters are encoded by `writeShortUtf8`; longer ones by `Buffer`. */
const SHORT_VALUE = 128;

/**
 * The text fields of many rows, each row's values packed one after another as UTF-8 in an arena
 * of 4 MiB chunks: 4 bytes for the row's start and 2 for each value's length, instead of a heap
 * string per value (16 bytes of header, and two bytes a character as soon as one character is
 * outside Latin-1), and nothing for the garbage collector to trace. Values are decoded on read.
 * Writing a row again leaves its old bytes behind; compaction reclaims them once they outweigh
 * the live ones.
 */
export class TextRows {
  private chunks: Buffer[] = [];
  /** Bytes written to the last chunk. */
  private tail = CHUNK_BYTES;
  private live = 0;
  private waste = 0;
  /** Chunk number and offset of each row's first byte. */
  private readonly starts = new NumberColumn((n) => new Uint32Array(n));
  private readonly lengths: NumberColumn<Uint16Array>;
  /** Values kept as strings, by `row * columns + column`. */
  private readonly irregular = new Map<number, string>();
  private rows = 0;

  constructor(private readonly columns: number) {
    this.lengths = new NumberColumn((n) => new Uint16Array(n).fill(NULL), columns);
  }

  /** Writes every text field of `row`, replacing what it held. */
  write(row: number, values: readonly (string | null)[]): void {
    if (row < this.rows) this.release(row);
    else this.rows = row + 1;
    let bound = 0;
    for (const value of values) if (value !== null) bound += value.length * 3;
    this.reserve(Math.min(bound, this.columns * MAX_LENGTH));
    const chunk = this.chunks.length - 1;
    const bytes = this.chunks[chunk];
    const start = this.tail;
    for (let column = 0; column < this.columns; column++) {
      const value = values[column] ?? null;
      const cell = row * this.columns + column;
      if (value === null) {
        this.lengths.set(row, NULL, column);
        continue;
      }
      // Most values are short and surrogate-free: encoded here, without a call into the runtime.
      let length = value.length <= SHORT_VALUE ? writeShortUtf8(bytes, this.tail, value) : -1;
      if (length < 0) {
        if (value.length > MAX_LENGTH / 3 && Buffer.byteLength(value) > MAX_LENGTH) {
          this.keepIrregular(row, column, cell, value);
          continue;
        }
        if (LONE_SURROGATE.test(value)) {
          this.keepIrregular(row, column, cell, value);
          continue;
        }
        length = bytes.write(value, this.tail, 'utf8');
      }
      this.lengths.set(row, length, column);
      this.tail += length;
    }
    this.starts.set(row, chunk * CHUNK_BYTES + start);
    this.live += this.tail - start;
  }

  get(row: number, column: number): string | null {
    const length = this.lengths.get(row, column);
    if (length === NULL) return null;
    if (length === IRREGULAR) return this.irregular.get(row * this.columns + column) ?? null;
    const start = this.starts.get(row);
    let offset = start & OFFSET_MASK;
    for (let before = 0; before < column; before++) offset += this.packed(row, before);
    return this.chunks[start >>> CHUNK_BITS].toString('utf8', offset, offset + length);
  }

  /** Bytes the value takes in the arena. */
  private packed(row: number, column: number): number {
    const length = this.lengths.get(row, column);
    return length === NULL || length === IRREGULAR ? 0 : length;
  }

  private keepIrregular(row: number, column: number, cell: number, value: string): void {
    this.irregular.set(cell, value);
    this.lengths.set(row, IRREGULAR, column);
  }

  /** Forgets what `row` held: its bytes become waste. */
  private release(row: number): void {
    let bytes = 0;
    for (let column = 0; column < this.columns; column++) {
      bytes += this.packed(row, column);
      if (this.lengths.get(row, column) === IRREGULAR) {
        this.irregular.delete(row * this.columns + column);
      }
    }
    this.live -= bytes;
    this.waste += bytes;
  }

  /** Makes room for `bytes` more in the last chunk: compacting, or opening a new chunk. */
  private reserve(bytes: number): void {
    if (this.tail + bytes <= CHUNK_BYTES) return;
    if (this.waste >= MIN_WASTE_TO_COMPACT && this.waste > this.live) {
      this.compact();
      if (this.tail + bytes <= CHUNK_BYTES) return;
    }
    if (this.chunks.length === MAX_CHUNKS) {
      throw new RangeError('The key directory holds more than 4 GiB of text');
    }
    this.chunks.push(Buffer.alloc(CHUNK_BYTES));
    this.tail = 0;
  }

  /** Copies every row's bytes to fresh chunks, leaving out those of rows written again. */
  private compact(): void {
    const old = this.chunks;
    this.chunks = [];
    this.tail = CHUNK_BYTES;
    this.waste = 0;
    for (let row = 0; row < this.rows; row++) {
      let bytes = 0;
      for (let column = 0; column < this.columns; column++) bytes += this.packed(row, column);
      if (bytes === 0) continue;
      this.reserve(bytes);
      const start = this.starts.get(row);
      const offset = start & OFFSET_MASK;
      old[start >>> CHUNK_BITS].copy(
        this.chunks[this.chunks.length - 1],
        this.tail,
        offset,
        offset + bytes,
      );
      this.starts.set(row, (this.chunks.length - 1) * CHUNK_BYTES + this.tail);
      this.tail += bytes;
    }
  }
}

/**
 * Writes `value` as UTF-8 at `at` and returns the bytes written; -1 as soon as it meets a
 * surrogate (an emoji, or a lone one), which `Buffer` then writes or `TextRows` keeps as text.
 * `bytes` must have room for three bytes a character.
 */
function writeShortUtf8(bytes: Uint8Array, at: number, value: string): number {
  let to = at;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) {
      bytes[to++] = code;
    } else if (code < 0x800) {
      bytes[to++] = 0xc0 | (code >> 6);
      bytes[to++] = 0x80 | (code & 0x3f);
    } else if (code >= 0xd800 && code <= 0xdfff) {
      return -1;
    } else {
      bytes[to++] = 0xe0 | (code >> 12);
      bytes[to++] = 0x80 | ((code >> 6) & 0x3f);
      bytes[to++] = 0x80 | (code & 0x3f);
    }
  }
  return to - at;
}
