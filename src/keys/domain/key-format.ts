import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { sha256Hex } from '../../shared/canonical-hash';

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
const BODY_LENGTH = SECRET_LENGTH + CHECKSUM_LENGTH;
const PREFIX_PATTERN = /^[a-z][a-z0-9]{1,11}$/;
const MAX_KEY_LENGTH = 12 + '_pk_live_'.length + BODY_LENGTH;
const MIN_KEY_LENGTH = ROOT_KEY_PREFIX.length + 1 + BODY_LENGTH;
/** Bytes at or above this (4 × 62) are discarded, so `byte % 62` is uniform. */
const UNBIASED_BYTE_LIMIT = 248;
const ROOT: ParsedKey = Object.freeze({ family: 'root' });

/** Documented in the README for secret scanners (gitleaks, GitHub push protection, …). */
export const KEY_SCANNER_PATTERN =
  /\b(?:[a-z][a-z0-9]{1,11}_(?:pk_)?(?:live|test)|klr)_[0-9A-Za-z]{36}\b/;

export function generateApiKey(
  prefix: string,
  environment: KeyEnvironment,
  kind: KeyKind,
): IssuedKey {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new TypeError('key prefix must match [a-z][a-z0-9]{1,11}');
  }
  if (environment !== 'live' && environment !== 'test') throw new TypeError('unknown environment');
  if (kind !== 'secret' && kind !== 'publishable') throw new TypeError('unknown key kind');
  const head =
    kind === 'publishable' ? `${prefix}_pk_${environment}_` : `${prefix}_${environment}_`;
  return issue(head);
}

export function generateRootKey(): IssuedKey {
  return issue(`${ROOT_KEY_PREFIX}_`);
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
  if (typeof candidate !== 'string') return undefined;
  const length = candidate.length;
  if (length < MIN_KEY_LENGTH || length > MAX_KEY_LENGTH) return undefined;
  const bodyStart = candidate.lastIndexOf('_') + 1;
  if (length - bodyStart !== BODY_LENGTH) return undefined;
  const firstUnderscore = candidate.indexOf('_');
  const prefix = candidate.slice(0, firstUnderscore);
  let parsed: ParsedKey;
  if (firstUnderscore === bodyStart - 1) {
    if (prefix !== ROOT_KEY_PREFIX) return undefined;
    parsed = ROOT;
  } else {
    if (!PREFIX_PATTERN.test(prefix)) return undefined;
    const shape = apiKeyShape(candidate.slice(firstUnderscore + 1, bodyStart - 1));
    if (shape === undefined) return undefined;
    parsed = { family: 'api', prefix, ...shape };
  }
  const checksumStart = bodyStart + SECRET_LENGTH;
  for (let i = bodyStart; i < checksumStart; i++) {
    if (base62Value(candidate.charCodeAt(i)) < 0) return undefined;
  }
  const checksum = decodeBase62(candidate, checksumStart);
  // Every character checked so far is ASCII, so CRC32 of the string equals CRC32 of its bytes.
  if (checksum !== crc32(candidate.slice(0, checksumStart))) return undefined;
  return parsed;
}

function apiKeyShape(
  middle: string,
): { readonly environment: KeyEnvironment; readonly kind: KeyKind } | undefined {
  switch (middle) {
    case 'live':
    case 'test':
      return { environment: middle, kind: 'secret' };
    case 'pk_live':
      return { environment: 'live', kind: 'publishable' };
    case 'pk_test':
      return { environment: 'test', kind: 'publishable' };
    default:
      return undefined;
  }
}

function issue(head: string): IssuedKey {
  const unchecked = head + randomBase62(SECRET_LENGTH);
  const plaintext = unchecked + encodeBase62(crc32(unchecked), CHECKSUM_LENGTH);
  return { plaintext, hash: hashKey(plaintext), hint: keyHint(plaintext) };
}

/** Rejection sampling over CSPRNG bytes: no modulo bias. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length + 8)) {
      if (byte >= UNBIASED_BYTE_LIMIT) continue;
      out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
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

function base62Value(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 65 && code <= 90) return code - 55; // A-Z
  if (code >= 97 && code <= 122) return code - 61; // a-z
  return -1;
}
