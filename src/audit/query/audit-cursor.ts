import type { GlobalPosition } from '../../event-store/event-store.port';

/** `after` in the audit API: a position, `<commit>` when both parts agree, else `<commit>:<prepare>`. */
export function formatAfter(position: GlobalPosition): string {
  const { commit, prepare } = position;
  return commit === prepare ? commit.toString() : `${commit}:${prepare}`;
}

export const AFTER_PATTERN = /^(0|[1-9][0-9]{0,19})(:(0|[1-9][0-9]{0,19}))?$/;

/** The last position either store can hold: SQLite's and EventStoreDB's are signed 64-bit. */
const MAX_POSITION = 2n ** 63n - 1n;

/**
 * Whether `text` could be a `nextAfter` this API returned: the pattern, and positions a store
 * can hold. Twenty digits pass the pattern but not the store (a 500, before this check).
 */
export function isAfter(text: unknown): boolean {
  if (typeof text !== 'string' || !AFTER_PATTERN.test(text)) return false;
  const { commit, prepare } = parseAfter(text);
  return commit <= MAX_POSITION && prepare <= MAX_POSITION;
}

export function parseAfter(text: string): GlobalPosition {
  const [commit, prepare = commit] = text.split(':');
  return { commit: BigInt(commit), prepare: BigInt(prepare) };
}
