import { createHash, hash } from 'node:crypto';

/**
 * Merkle tree hashing of RFC 6962 §2.1 (Certificate Transparency): a leaf is
 * SHA-256(0x00 ‖ data), an inner node SHA-256(0x01 ‖ left ‖ right). The domain-separation
 * bytes stop a leaf from being passed off as an inner node (second-preimage attacks).
 */
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** One reusable input buffer: hashing is synchronous, and a one-shot hash beats a Hash object. */
const scratch = Buffer.allocUnsafe(1 + 32 * 4);

function prefixedHash(prefix: number, parts: readonly Buffer[]): Buffer {
  let length = 1;
  for (const part of parts) length += part.length;
  if (length > scratch.length) {
    return hash('sha256', Buffer.concat([Buffer.from([prefix]), ...parts]), 'buffer');
  }
  scratch[0] = prefix;
  let offset = 1;
  for (const part of parts) offset += part.copy(scratch, offset);
  return hash('sha256', scratch.subarray(0, length), 'buffer');
}

export function leafHash(...data: readonly Buffer[]): Buffer {
  return prefixedHash(LEAF_PREFIX, data);
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return prefixedHash(NODE_PREFIX, [left, right]);
}

/** SHA-256 of nothing: the RFC 6962 hash of an empty tree. */
export const EMPTY_TREE_ROOT = createHash('sha256').digest();

/**
 * Every level of the tree, built bottom-up: level 0 holds the leaf hashes, and a node without
 * a sibling is carried up unchanged. This is exactly the RFC 6962 tree (split at the largest
 * power of two below n): at level h, index j holds the hash of leaves [j·2^h, min((j+1)·2^h, n)).
 */
export class MerkleLevels {
  private readonly levels: Buffer[][];

  constructor(leafHashes: readonly Buffer[]) {
    this.levels = [[...leafHashes]];
    let level = this.levels[0];
    while (level.length > 1) {
      const next: Buffer[] = [];
      for (let i = 0; i < level.length; i += 2) {
        next.push(i + 1 < level.length ? nodeHash(level[i], level[i + 1]) : level[i]);
      }
      this.levels.push(next);
      level = next;
    }
  }

  get size(): number {
    return this.levels[0].length;
  }

  root(): Buffer {
    return this.size === 0 ? EMPTY_TREE_ROOT : this.levels[this.levels.length - 1][0];
  }

  /** RFC 6962 §2.1.1 PATH(index, D[n]): sibling hashes from the leaf up to the root. */
  auditPath(index: number): Buffer[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`leaf index ${index} is outside a tree of ${this.size} leaves`);
    }
    const path: Buffer[] = [];
    let i = index;
    for (let h = 0; h < this.levels.length - 1; h++) {
      const sibling = i ^ 1;
      if (sibling < this.levels[h].length) path.push(this.levels[h][sibling]);
      i >>= 1;
    }
    return path;
  }

  /** The hash of the subtree over leaves [start, end) that the RFC 6962 recursion visits. */
  subtreeHash(start: number, end: number): Buffer {
    const height = Math.ceil(Math.log2(end - start));
    return this.levels[height][start >> height];
  }
}

/** The largest power of two strictly below n (n ≥ 2): where RFC 6962 splits a tree. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** How many hashes PATH(index, D[treeSize]) has: the levels at which the node has a sibling. */
export function auditPathLength(index: number, treeSize: number): number {
  let length = 0;
  for (let i = index, size = treeSize; size > 1; i >>= 1, size = Math.ceil(size / 2)) {
    if ((i ^ 1) < size) length++;
  }
  return length;
}

/**
 * Recomputes the root from a leaf hash and its audit path (RFC 9162 §2.1.3.2, written with
 * explicit node coordinates). Returns undefined when the path has the wrong length for
 * (index, treeSize): such a proof proves nothing.
 */
export function rootFromAuditPath(
  leaf: Buffer,
  index: number,
  treeSize: number,
  path: readonly Buffer[],
): Buffer | undefined {
  if (index < 0 || index >= treeSize || path.length !== auditPathLength(index, treeSize)) {
    return undefined;
  }
  let node = leaf;
  let next = 0;
  for (let i = index, size = treeSize; size > 1; i >>= 1, size = Math.ceil(size / 2)) {
    if ((i ^ 1) >= size) continue; // no sibling at this level: the node is carried up
    const sibling = path[next++];
    node = i & 1 ? nodeHash(sibling, node) : nodeHash(node, sibling);
  }
  return node;
}
