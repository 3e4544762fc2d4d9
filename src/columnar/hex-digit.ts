/** The value of each ASCII char code as a lowercase hex digit; -1 for the others. */
const DIGITS = new Int8Array(128).fill(-1);
for (let code = 0x30; code <= 0x39; code++) DIGITS[code] = code - 0x30;
for (let code = 0x61; code <= 0x66; code++) DIGITS[code] = code - 0x57;

/**
 * The value of a lowercase hex digit's char code, or -1: hashes and ids are lowercase. A table
 * look-up, branch-free, because it runs for every character of every hash verified.
 */
export function hexDigit(code: number): number {
  return code < 0x80 ? DIGITS[code] : -1;
}
