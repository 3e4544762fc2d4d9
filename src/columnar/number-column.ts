const CHUNK_SHIFT = 16;
/** Rows per chunk: 64 Ki. */
export const CHUNK_ROWS = 1 << CHUNK_SHIFT;
const ROW_MASK = CHUNK_ROWS - 1;

type NumberArray = Int32Array | Uint32Array | Uint16Array | Float64Array;

/**
 * `width` numbers per row in fixed-size typed-array chunks. Growing allocates one more chunk and
 * never copies, so a table of a million rows holds no slack beyond its last chunk and leaves no
 * freed copies behind in the allocator (which a doubling array does, and keeps resident).
 */
export class NumberColumn<A extends NumberArray> {
  private readonly chunks: A[] = [];

  constructor(
    private readonly make: (length: number) => A,
    readonly width = 1,
  ) {}

  get(row: number, index = 0): number {
    return this.chunks[row >>> CHUNK_SHIFT][(row & ROW_MASK) * this.width + index];
  }

  set(row: number, value: number, index = 0): void {
    this.chunkOf(row)[(row & ROW_MASK) * this.width + index] = value;
  }

  /** The chunk holding `row`, made (with every chunk before it) if needed. */
  chunkOf(row: number): A {
    const chunk = row >>> CHUNK_SHIFT;
    while (this.chunks.length <= chunk) this.chunks.push(this.make(CHUNK_ROWS * this.width));
    return this.chunks[chunk];
  }

  /** Where `row`'s numbers start in its chunk. */
  offsetOf(row: number): number {
    return (row & ROW_MASK) * this.width;
  }
}
