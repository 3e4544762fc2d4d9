import type { GlobalPosition } from '../../event-store/event-store.port';

const DIGITS = 20; // 2^64 has 20 decimal digits: every commit/prepare position fits.

/**
 * A global position as a string that sorts like the position itself (`$lt`, `$gt`, indexes):
 * zero-padded commit and prepare. Stored with every document a projection writes, so that an
 * event at or before it is recognised as already applied.
 */
export function positionKey(position: GlobalPosition): string {
  return `${position.commit.toString().padStart(DIGITS, '0')}:${position.prepare
    .toString()
    .padStart(DIGITS, '0')}`;
}

export function parsePositionKey(key: string): GlobalPosition {
  const match = /^(\d{20}):(\d{20})$/.exec(key);
  if (!match) throw new Error(`Not a stored position: ${key}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}
