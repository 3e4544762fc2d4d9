import { BODY_LENGTH, keyFamily } from './key-format';

/*
 * SPEC §3: "anything that passes the key checksum is a secret". These find keys inside arbitrary
 * text (an error message, a log line, a header) so that they are never echoed, logged or
 * recorded. A candidate is found by its head and confirmed by its CRC32 checksum, so a made-up
 * look-alike is left alone (a chance of 1 in 2^32 per candidate) and text without an underscore
 * costs one `indexOf`.
 */

/** What a key found in text is replaced with by `redactKeys`. */
export const REDACTED_KEY = '[REDACTED KEY]';

/**
 * Where a key may end its head: `klr_` (root) or `_live_`, `_test_`, `_pk_live_`, `_pk_test_`
 * (API keys, after a prefix of up to 12 chars). Anchors rather than whole keys, so that a key
 * glued to other text (`xkl_live_…`, `…abc`) is found too; the checksum then decides.
 */
const KEY_HEAD_ANCHOR = /klr_|_(?:pk_)?(?:live|test)_/g;

/** `[start, end)` of every well-formed key (shape and checksum) inside `text`, in order. */
function keySpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  // Most text (messages, user agents, request ids) has no underscore: nothing to scan.
  if (text.indexOf('_') < 0) return spans;
  const anchors = KEY_HEAD_ANCHOR;
  anchors.lastIndex = 0;
  let covered = 0;
  for (let match = anchors.exec(text); match !== null; match = anchors.exec(text)) {
    const at = match.index;
    // Overlapping anchors matter: `klr_live_…` is an API key of the tenant prefix `klr`.
    anchors.lastIndex = at + 1;
    const bodyEnd = at + match[0].length + BODY_LENGTH;
    if (at < covered || bodyEnd > text.length) continue;
    const start = keyStartBefore(text, at, match[0] === 'klr_', bodyEnd, covered);
    if (start !== undefined) {
      spans.push([start, bodyEnd]);
      covered = bodyEnd;
    }
  }
  return spans;
}

/** Where a key ending at `bodyEnd` starts (not before `earliest`), if one does, for the anchor at `at`. */
function keyStartBefore(
  text: string,
  at: number,
  root: boolean,
  bodyEnd: number,
  earliest: number,
): number | undefined {
  if (root) return keyFamily(text.slice(at, bodyEnd)) === 'root' ? at : undefined;
  // The prefix is 2 to 12 chars right before the anchor, after any key already found; try every
  // start that could be one.
  for (let start = Math.max(earliest, at - 12); start <= at - 2; start++) {
    if (keyFamily(text.slice(start, bodyEnd)) === 'api') return start;
  }
  return undefined;
}

/** Whether `text` holds anything that passes the key checksum (API, publishable or root key). */
export function containsKey(text: string): boolean {
  return keySpans(text).length > 0;
}

/**
 * `text` with every key in it (anything that passes the checksum, wherever it sits) replaced by
 * `REDACTED_KEY`; the same string when there is none. For everything that may quote input:
 * error messages and details, log lines, request metadata.
 */
export function redactKeys(text: string): string {
  const spans = keySpans(text);
  if (spans.length === 0) return text;
  let out = '';
  let from = 0;
  for (const [start, end] of spans) {
    out += text.slice(from, start) + REDACTED_KEY;
    from = end;
  }
  return out + text.slice(from);
}
