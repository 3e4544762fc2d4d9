import { crc32 } from 'node:zlib';
import { sha256Hex } from './canonical-hash';
import type { SecretGenerator } from './secrets';

/**
 * SPEC §3 key formats. Every key ends with a 36-char body: a 30-char base62 secret and a
 * 6-char base62 CRC32 of everything before the checksum, so a typo or a made-up key is
 * rejected without a lookup.
 *
 *   secret key       {prefix}_{env}_{secret}{checksum}      kl_live_…
 *   publishable key  {prefix}_pk_{env}_{secret}{checksum}   kl_pk_live_…
 *   root key         klr_{secret}{checksum}                 klr_…
 *
 * The secret alphabet has no '_', so the underscores alone tell the families apart: a root
 * key has exactly one, even though 'klr' is also a valid tenant prefix (`klr_live_…`).
 *
 * The random bytes of a secret come from the `SecretGenerator` given; everything else here is
 * pure.
 */
export type KeyEnvironment = 'live' | 'test';
export type KeyKind = 'secret' | 'publishable';

export interface IssuedKey {
  readonly plaintext: string;
  readonly hash: string;
  readonly hint: string;
}

export type ParsedKey =
  | {
      readonly family: 'api';
      readonly prefix: string;
      readonly environment: KeyEnvironment;
      readonly kind: KeyKind;
    }
  | { readonly family: 'root' };

export const ROOT_KEY_PREFIX = 'klr';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_LENGTH = 30; // 30 × log2(62) ≈ 178.6 bits
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32, so any CRC32 fits
/** The secret and its checksum: what follows a key's last underscore. */
export const BODY_LENGTH = SECRET_LENGTH + CHECKSUM_LENGTH;
const PREFIX_PATTERN = /^[a-z][a-z0-9]{1,11}$/;
const MAX_KEY_LENGTH = 12 + '_pk_live_'.length + BODY_LENGTH;
const MIN_KEY_LENGTH = ROOT_KEY_PREFIX.length + 1 + BODY_LENGTH;
/** Bytes at or above this (4 × 62) are discarded, so `byte % 62` is uniform. */
const UNBIASED_BYTE_LIMIT = 248;
/** Draws of `SECRET_LENGTH + 8` bytes before giving up; one uniform draw falls short ~2 in 10⁶. */
const MAX_DRAWS = 8;
const ROOT: ParsedKey = Object.freeze({ family: 'root' });

/** Documented in the README for secret scanners (gitleaks, GitHub push protection, …). */
export const KEY_SCANNER_PATTERN =
  /\b(?:[a-z][a-z0-9]{1,11}_(?:pk_)?(?:live|test)|klr)_[0-9A-Za-z]{36}\b/;

export function generateApiKey(
  prefix: string,
  environment: KeyEnvironment,
  kind: KeyKind,
  secrets: SecretGenerator,
): IssuedKey {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new TypeError('key prefix must match [a-z][a-z0-9]{1,11}');
  }
  if (environment !== 'live' && environment !== 'test') throw new TypeError('unknown environment');
  if (kind !== 'secret' && kind !== 'publishable') throw new TypeError('unknown key kind');
  const head =
    kind === 'publishable' ? `${prefix}_pk_${environment}_` : `${prefix}_${environment}_`;
  return issue(head, secrets);
}

export function generateRootKey(secrets: SecretGenerator): IssuedKey {
  return issue(`${ROOT_KEY_PREFIX}_`, secrets);
}

export function hashKey(plaintext: string): string {
  return sha256Hex(plaintext);
}

/**
 * Everything before the secret, then its first 4 and the key's last 4 chars (checksum), so
 * a person can recognise a key without the hint revealing any meaningful part of the secret.
 * A value too short to be a key shows nothing after its last underscore.
 */
export function keyHint(plaintext: string): string {
  const bodyStart = plaintext.lastIndexOf('_') + 1;
  const body = plaintext.slice(bodyStart);
  const head = plaintext.slice(0, bodyStart);
  if (body.length < BODY_LENGTH) return `${head}…`;
  return `${head}${body.slice(0, 4)}…${body.slice(-4)}`;
}

/** Shape + checksum check only, no lookup; undefined for anything malformed. */
export function parseKey(candidate: string): ParsedKey | undefined {
  const family = keyFamily(candidate);
  if (family !== 'api') return family === 'root' ? ROOT : undefined;
  const firstUnderscore = candidate.indexOf('_');
  const middle = candidate.slice(firstUnderscore + 1, candidate.lastIndexOf('_'));
  return {
    family,
    prefix: candidate.slice(0, firstUnderscore),
    environment: middle.endsWith('live') ? 'live' : 'test',
    kind: middle.startsWith('pk_') ? 'publishable' : 'secret',
  };
}

/**
 * The family of a well-formed key (shape and checksum, as `parseKey`), else undefined. Slices
 * and allocates nothing (a CRC32 table in place of zlib's, which takes a copy of the text):
 * verification checks both keys of every request with it.
 */
export function keyFamily(candidate: string): ParsedKey['family'] | undefined {
  if (typeof candidate !== 'string') return undefined;
  const length = candidate.length;
  if (length < MIN_KEY_LENGTH || length > MAX_KEY_LENGTH) return undefined;
  const bodyStart = candidate.lastIndexOf('_') + 1;
  if (length - bodyStart !== BODY_LENGTH) return undefined;
  const firstUnderscore = candidate.indexOf('_');
  let family: ParsedKey['family'];
  if (firstUnderscore === bodyStart - 1) {
    if (firstUnderscore !== ROOT_KEY_PREFIX.length || !candidate.startsWith(ROOT_KEY_PREFIX)) {
      return undefined;
    }
    family = 'root';
  } else {
    if (!isPrefixAt(candidate, firstUnderscore)) return undefined;
    if (!isApiKeyMiddle(candidate, firstUnderscore + 1, bodyStart - 1)) return undefined;
    family = 'api';
  }
  // Everything before the body is ASCII now, and so is each secret char checked below: the
  // CRC32 of the chars equals the CRC32 of the key's bytes.
  let crc = -1;
  for (let i = 0; i < bodyStart; i++) crc = crc32Step(crc, candidate.charCodeAt(i));
  const checksumStart = bodyStart + SECRET_LENGTH;
  for (let i = bodyStart; i < checksumStart; i++) {
    const code = candidate.charCodeAt(i);
    if (base62Value(code) < 0) return undefined;
    crc = crc32Step(crc, code);
  }
  const checksum = decodeBase62(candidate, checksumStart);
  return checksum === (crc ^ -1) >>> 0 ? family : undefined;
}

/** `[a-z][a-z0-9]{1,11}` over `text[0, end)`, without slicing it out. */
function isPrefixAt(text: string, end: number): boolean {
  if (end < 2 || end > 12) return false;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const lower = code >= 97 && code <= 122;
    if (!lower && (i === 0 || code < 48 || code > 57)) return false;
  }
  return true;
}

/** `live`, `test`, `pk_live` or `pk_test` over `text[start, end)`. */
function isApiKeyMiddle(text: string, start: number, end: number): boolean {
  const at = end - start === 7 && text.startsWith('pk_', start) ? start + 3 : start;
  return end - at === 4 && (text.startsWith('live', at) || text.startsWith('test', at));
}

/** CRC-32 (IEEE 802.3, as zlib's) one byte at a time; start from -1, finish with `^ -1`. */
const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32Step(crc: number, byte: number): number {
  return CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
}

function issue(head: string, secrets: SecretGenerator): IssuedKey {
  const unchecked = head + randomBase62(SECRET_LENGTH, secrets);
  const plaintext = unchecked + encodeBase62(crc32(unchecked), CHECKSUM_LENGTH);
  return { plaintext, hash: hashKey(plaintext), hint: keyHint(plaintext) };
}

/**
 * Rejection sampling over the generator's bytes: no modulo bias. A generator that keeps giving
 * unusable bytes (a broken fake) is refused rather than looped on forever.
 */
function randomBase62(length: number, secrets: SecretGenerator): string {
  let out = '';
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    for (const byte of secrets.randomBytes(length + 8)) {
      if (byte >= UNBIASED_BYTE_LIMIT) continue;
      out += BASE62[byte % 62];
      if (out.length === length) return out;
    }
  }
  throw new Error(`The secret generator gave too few usable bytes in ${MAX_DRAWS} draws`);
}

function encodeBase62(value: number, width: number): string {
  let out = '';
  for (let rest = value; rest > 0; rest = Math.floor(rest / 62)) out = BASE62[rest % 62] + out;
  return out.padStart(width, '0');
}

/** Big-endian; -1 if any char is not base62. */
function decodeBase62(text: string, start: number): number {
  let value = 0;
  for (let i = start; i < text.length; i++) {
    const digit = base62Value(text.charCodeAt(i));
    if (digit < 0) return -1;
    value = value * 62 + digit;
  }
  return value;
}

/** Digit value by char code for ASCII (-1: not base62). */
const BASE62_VALUES = Int8Array.from({ length: 128 }, (_, code) =>
  BASE62.indexOf(String.fromCharCode(code)),
);

function base62Value(code: number): number {
  return code < 128 ? BASE62_VALUES[code] : -1;
}
