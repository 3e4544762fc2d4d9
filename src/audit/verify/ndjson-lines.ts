import { problem } from './verification-failure';

export interface RawLine {
  /** The line's bytes, without its newline. */
  readonly bytes: Buffer;
  /** False for a last line that the file ends in the middle of (no newline). */
  readonly complete: boolean;
}

const NEWLINE = 0x0a;
/** No audit export line comes near this; past it the file is not one. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Splits a byte stream into lines, as bytes: the verifier hashes exactly what the file holds.
 * `onBytes` is told how many bytes have been read so far, for progress.
 */
export async function* ndjsonLines(
  chunks: AsyncIterable<Buffer | string>,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<RawLine> {
  let carry: Buffer = Buffer.alloc(0);
  let read = 0;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    read += bytes.length;
    let start = 0;
    let end = bytes.indexOf(NEWLINE, start);
    while (end !== -1) {
      const piece = bytes.subarray(start, end);
      yield { bytes: carry.length > 0 ? Buffer.concat([carry, piece]) : piece, complete: true };
      carry = Buffer.alloc(0);
      start = end + 1;
      end = bytes.indexOf(NEWLINE, start);
    }
    if (start < bytes.length) carry = Buffer.concat([carry, bytes.subarray(start)]);
    if (carry.length > MAX_LINE_BYTES)
      problem('a line is longer than 64 MiB: this is not an audit export');
    onBytes?.(read);
  }
  if (carry.length > 0) yield { bytes: carry, complete: false };
}
