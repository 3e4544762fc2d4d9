import { nodeHash, splitPoint, type MerkleLevels } from './rfc6962';

/**
 * Proof that a run of consecutive leaves [start, end) sits in a tree, in the shape of the
 * RFC 6962 recursion: the hashes of every maximal subtree that lies wholly outside the run,
 * in left-to-right order. With the run's leaves they give back the root, and nothing else
 * does: a leaf added to or dropped from the run changes the root.
 */
export function rangeProof(tree: MerkleLevels, start: number, end: number): Buffer[] {
  assertRange(start, end, tree.size);
  const proof: Buffer[] = [];
  const walk = (from: number, to: number): void => {
    if (to <= start || from >= end) {
      proof.push(tree.subtreeHash(from, to));
      return;
    }
    if (to - from === 1) return;
    const k = splitPoint(to - from);
    walk(from, from + k);
    walk(from + k, to);
  };
  walk(0, tree.size);
  return proof;
}

/**
 * The root of a tree of `treeSize` leaves whose leaves [start, start + leaves.length) are
 * `leaves`, given their range proof; undefined when the proof has too few or too many hashes.
 */
export function rootFromRange(
  treeSize: number,
  start: number,
  leaves: readonly Buffer[],
  proof: readonly Buffer[],
): Buffer | undefined {
  const end = start + leaves.length;
  if (leaves.length === 0 || start < 0 || end > treeSize) return undefined;
  let next = 0;
  const walk = (from: number, to: number): Buffer | undefined => {
    if (to <= start || from >= end) return next < proof.length ? proof[next++] : undefined;
    if (to - from === 1) return leaves[from - start];
    const k = splitPoint(to - from);
    const left = walk(from, from + k);
    if (left === undefined) return undefined;
    const right = walk(from + k, to);
    return right && nodeHash(left, right);
  };
  const root = walk(0, treeSize);
  return root && next === proof.length ? root : undefined;
}

function assertRange(start: number, end: number, size: number): void {
  if (!(
    Number.isInteger(start) &&
    Number.isInteger(end) &&
    0 <= start &&
    start < end &&
    end <= size
  )) {
    throw new RangeError(
      `leaf range [${start}, ${end}) is not a non-empty range of ${size} leaves`,
    );
  }
}
