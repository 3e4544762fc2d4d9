import type { GlobalPosition } from '../../event-store/event-store.port';

/** `after` in the audit API: a position, `<commit>` when both parts agree, else `<commit>:<prepare>`. */
export function formatAfter(position: GlobalPosition): string {
  const { commit, prepare } = position;
  return commit === prepare ? commit.toString() : `${commit}:${prepare}`;
}

export const AFTER_PATTERN = /^(0|[1-9][0-9]{0,19})(:(0|[1-9][0-9]{0,19}))?$/;

export function parseAfter(text: string): GlobalPosition {
  const [commit, prepare = commit] = text.split(':');
  return { commit: BigInt(commit), prepare: BigInt(prepare) };
}
