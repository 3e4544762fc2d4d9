import { comparePositions, type GlobalPosition } from '../../event-store/event-store.port';
import {
  positionFromJson,
  samePosition,
  type CheckpointData,
  type PositionJson,
} from '../checkpoint/audit-checkpoint';
import { tenantLeafHash, type TenantSlice } from '../checkpoint/checkpoint-trees';
import { rootFromRange } from '../merkle/rfc6962-range';
import { auditPathLength, leafHash, nodeHash } from '../merkle/rfc6962';
import type { InclusionProof } from '../export/export-format';
import type { ReadEvent } from './export-lines';
import type { PreparedProof } from './prepared-event';
import { problem } from './verification-failure';

/**
 * One checkpoint and the tenant's events listed under it. Each event's inclusion proof is
 * checked as it comes; once every event is in, the tenant slice shows that they are all of the
 * tenant's events the checkpoint covers.
 *
 * Nodes of proofs that reached the signed root are remembered by their place in the tree: a
 * later proof that reaches one of them is proven there (collision resistance), which saves
 * re-hashing the shared upper part of every path in a busy tenant's export.
 */
export class CheckpointSection {
  private readonly proven = new Map<number, Buffer>();
  private readonly root: Buffer;
  private readonly tenantRoot: Buffer;
  private readonly after: GlobalPosition | undefined;
  private readonly last: GlobalPosition;
  private readonly tenantLeaves: Buffer[] = [];
  private lastLeafIndex = -1;

  constructor(
    readonly data: CheckpointData,
    private readonly position: PositionJson,
    readonly slice: TenantSlice | null,
    private readonly tenantDigest: Buffer,
  ) {
    this.root = Buffer.from(data.merkleRoot, 'hex');
    this.tenantRoot = Buffer.from(data.tenantRoot, 'hex');
    this.after = positionFromJson(data.range.after) ?? undefined;
    this.last = positionFromJson(data.range.last)!;
  }

  get sequence(): number {
    return this.data.sequence;
  }

  get events(): number {
    return this.tenantLeaves.length;
  }

  /**
   * Checks one event's proof against this checkpoint; throws a LineProblem if it fails.
   * `prepared`: the event's two leaf hashes, when a worker has computed them already.
   */
  admit(event: ReadEvent, proof: InclusionProof, prepared?: PreparedProof): void {
    const k = this.sequence;
    if (proof.checkpoint.sequence !== k) {
      problem(
        `its inclusion proof is for checkpoint ${proof.checkpoint.sequence}, not for checkpoint ${k} it is listed under`,
      );
    }
    if (!samePosition(proof.checkpoint.position, this.position)) {
      problem(`its inclusion proof names checkpoint ${k} at another position`);
    }
    const outside =
      (this.after && comparePositions(event.position, this.after) <= 0) ||
      comparePositions(event.position, this.last) > 0;
    if (outside) {
      const from = this.data.range.after?.commit ?? 'the start';
      problem(
        `its position is outside the range of checkpoint ${k} (after ${from}, up to ${this.data.range.last.commit})`,
      );
    }
    if (proof.treeSize !== this.data.treeSize) {
      problem(
        `its inclusion proof is for a tree of ${proof.treeSize} events, but checkpoint ${k} covers ${this.data.treeSize}`,
      );
    }
    if (proof.leafIndex >= proof.treeSize || proof.leafIndex <= this.lastLeafIndex) {
      problem(
        `leaf index ${proof.leafIndex} does not follow leaf index ${this.lastLeafIndex} of the previous event in checkpoint ${k}`,
      );
    }
    let included: boolean;
    let tenantLeaf: Buffer;
    if (prepared) {
      const { levels } = prepared;
      const node = (level: number) => levels.subarray(level * 32, level * 32 + 32);
      included = this.includes(node(0), proof.leafIndex, proof.auditPath, node);
      tenantLeaf = prepared.tenantLeaf;
    } else {
      const hash = Buffer.from(event.metadata.hash, 'hex');
      included = this.includes(leafHash(hash), proof.leafIndex, proof.auditPath);
      tenantLeaf = tenantLeafHash(this.tenantDigest, hash);
    }
    if (!included) {
      problem(`its inclusion proof does not lead to the Merkle root of checkpoint ${k}`);
    }
    this.lastLeafIndex = proof.leafIndex;
    this.tenantLeaves.push(tenantLeaf);
  }

  /** Once the section is complete: why the tenant slice fails, or null when it holds. */
  completenessProblem(): string | null {
    const { slice } = this;
    if (!slice) return null;
    const k = this.sequence;
    const n = this.data.treeSize;
    const own = this.tenantDigest.toString('hex');
    const wellFormed =
      slice.start + slice.count <= n &&
      (slice.before !== null) === slice.start > 0 &&
      (slice.after !== null) === slice.start + slice.count < n &&
      (slice.before === null || slice.before.tenantDigest < own) &&
      (slice.after === null || slice.after.tenantDigest > own);
    if (!wellFormed)
      return `the tenant slice of checkpoint ${k} does not frame a whole run of the tenant's leaves`;
    const neighbor = (leaf: { tenantDigest: string; eventHash: string }) =>
      tenantLeafHash(Buffer.from(leaf.tenantDigest, 'hex'), Buffer.from(leaf.eventHash, 'hex'));
    const leaves = [
      ...(slice.before ? [neighbor(slice.before)] : []),
      ...this.tenantLeaves,
      ...(slice.after ? [neighbor(slice.after)] : []),
    ];
    const start = slice.before ? slice.start - 1 : slice.start;
    const proof = slice.proof.map((hash) => Buffer.from(hash, 'hex'));
    const root = rootFromRange(n, start, leaves, proof);
    if (root?.equals(this.tenantRoot)) return null;
    return `the ${this.events} events of the tenant listed under checkpoint ${k} do not match its signed tenant root: an event of the tenant is missing, added or altered`;
  }

  /**
   * `levels`, when a worker has walked the path already: the node at each level (leaf 0), in
   * place of hashing; then `path` is read for its length only.
   */
  private includes(
    leaf: Buffer,
    index: number,
    path: readonly string[],
    levels?: (level: number) => Buffer,
  ): boolean {
    const n = this.data.treeSize;
    if (path.length !== auditPathLength(index, n)) return false;
    const visited: [number, Buffer][] = [];
    let node = leaf;
    let next = 0;
    for (let i = index, size = n, level = 0; ; i >>= 1, size = Math.ceil(size / 2), level++) {
      const key = i * 64 + level;
      const known = this.proven.get(key);
      if (known) {
        if (!known.equals(node)) return false;
        break;
      }
      visited.push([key, node]);
      if (size === 1) {
        if (!node.equals(this.root)) return false;
        break;
      }
      if ((i ^ 1) >= size) continue; // no sibling: the node is carried up unchanged
      if (levels) {
        node = levels(level + 1);
        continue;
      }
      const sibling = Buffer.from(path[next++], 'hex');
      node = i & 1 ? nodeHash(sibling, node) : nodeHash(node, sibling);
    }
    for (const [key, value] of visited) this.proven.set(key, value);
    return true;
  }
}
