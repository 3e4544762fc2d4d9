/** What a JSON body may hold beyond being JSON; the JSON body reader checks both. */

/**
 * How deep a JSON body may nest objects and arrays. No request shape needs more than four
 * levels; past some 2,000 levels class-transformer and class-validator, which recurse, run out of
 * stack (a 500 on every write route). Checked on the text, before it is parsed.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether the JSON text `json` nests objects and arrays deeper than `max` levels (`{}` is one
 * level); brackets inside strings do not count. Exact for valid JSON; for text that is not JSON
 * the answer does not matter, as the parser refuses it anyway. It is on the verify hot path, so
 * the common body is not scanned char by char: a text shorter than `2 * max + 2` chars, or with
 * no more than `max` opening brackets in all (counted with `indexOf`), cannot nest that deep.
 * Only a text with many brackets is scanned, once, skipping strings with `indexOf`. Measured on
 * a 140-char verify body: about 90 ns, against some 250 ns for the scan and 1.3 µs for JSON.parse.
 */
export function nestsDeeperThan(json: string, max: number): boolean {
  if (json.length < 2 * max + 2) return false;
  if (occurrences(json, '[', max) + occurrences(json, '{', max) <= max) return false;
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(json, i);
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** How often `char` occurs in `text`, counted up to `max + 1` (native `indexOf`, no char loop). */
function occurrences(text: string, char: string, max: number): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1 && count <= max; at = text.indexOf(char, at + 1)) {
    count++;
  }
  return count;
}

/** The index of the quote that closes the string opened at `open` (the text's end if none). */
function closingQuote(json: string, open: number): number {
  let quote = json.indexOf('"', open + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (json.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = json.indexOf('"', quote + 1);
  }
  return json.length;
}

/**
 * Whether the parsed JSON `value` has a `__proto__` member at any level. JSON.parse makes it an
 * own property, harmless in itself, but any later merge or copy of the value would set a
 * prototype from it; Fastify's parser refuses such a body and so does Keyledger's, on both
 * platforms. Only looked for when `text` could hold one (it names `__proto__`, or has a `\u`
 * escape that could spell it), so a common body costs two `includes`.
 */
export function holdsProtoMember(text: string, value: unknown): boolean {
  return (text.includes('__proto__') || text.includes('\\u')) && protoMemberIn(value);
}

function protoMemberIn(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(protoMemberIn);
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return true;
  return Object.values(value).some(protoMemberIn);
}
