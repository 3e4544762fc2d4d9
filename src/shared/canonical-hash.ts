import * as crypto from 'node:crypto';
import { canonicalText } from './canonical-json';

/** RFC 8785 (JCS) canonical JSON; throws on values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  const text = canonicalText(value);
  if (text === undefined) throw new TypeError('value has no canonical JSON form');
  return text;
}

/** One-shot `crypto.hash` where Node has it (≥ 20.12): no Hash object per call on the hot path. */
const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;

export function sha256Hex(input: string | Buffer): string {
  if (oneShot) return oneShot('sha256', input, 'hex');
  return crypto.createHash('sha256').update(input).digest('hex');
}
