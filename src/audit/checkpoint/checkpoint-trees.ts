import { comparePositions, type GlobalPosition } from '../../event-store/event-store.port';
import { rangeProof } from '../merkle/rfc6962-range';
import { leafHash, MerkleLevels } from '../merkle/rfc6962';

/** One event of a checkpoint's range, as the two trees see it. */
export interface CheckpointLeaf {
  readonly position: GlobalPosition;
  /** The event's `metadata.hash`, as 32 raw bytes. */
  readonly hash: Buffer;
  readonly tenantDigest: Buffer;
}

/** A leaf next to a tenant's run in the tenant tree, shown by its digest and event hash only. */
export interface SliceNeighbor {
  readonly tenantDigest: string;
  readonly eventHash: string;
}

/**
 * Where one tenant's leaves sit in the tenant tree: the run [start, start + count), the leaves
 * just before and after it (which belong to other tenants, so the run is complete), and the
 * range proof of those leaves. With no leaf of the tenant, count is 0 and the neighbours prove
 * the gap.
 */
export interface TenantSlice {
  readonly start: number;
  readonly count: number;
  readonly before: SliceNeighbor | null;
  readonly after: SliceNeighbor | null;
  readonly proof: string[];
}

export function tenantLeafHash(tenantDigest: Buffer, eventHash: Buffer): Buffer {
  return leafHash(tenantDigest, eventHash);
}

/** Tenant-tree order: by tenant digest, then by global position. */
export function compareTenantLeaves(a: CheckpointLeaf, b: CheckpointLeaf): number {
  return Buffer.compare(a.tenantDigest, b.tenantDigest) || comparePositions(a.position, b.position);
}

/** The two Merkle trees a checkpoint signs, over the events of its range in global order. */
export class CheckpointTrees {
  private readonly global: MerkleLevels;
  private readonly byTenant: readonly CheckpointLeaf[];
  private readonly tenant: MerkleLevels;

  constructor(leaves: readonly CheckpointLeaf[]) {
    if (leaves.length === 0) throw new RangeError('a checkpoint covers at least one event');
    this.global = new MerkleLevels(leaves.map((leaf) => leafHash(leaf.hash)));
    this.byTenant = [...leaves].sort(compareTenantLeaves);
    this.tenant = new MerkleLevels(
      this.byTenant.map((leaf) => tenantLeafHash(leaf.tenantDigest, leaf.hash)),
    );
  }

  get size(): number {
    return this.global.size;
  }

  merkleRoot(): string {
    return this.global.root().toString('hex');
  }

  tenantRoot(): string {
    return this.tenant.root().toString('hex');
  }

  /** Audit path of the leaf at `index` in global order. */
  auditPath(index: number): string[] {
    return this.global.auditPath(index).map((hash) => hash.toString('hex'));
  }

  tenantSlice(tenantDigest: Buffer): TenantSlice {
    const start = this.firstAtOrAfter(tenantDigest);
    let end = start;
    while (end < this.byTenant.length && this.byTenant[end].tenantDigest.equals(tenantDigest)) {
      end++;
    }
    const from = start > 0 ? start - 1 : start;
    const to = end < this.byTenant.length ? end + 1 : end;
    return {
      start,
      count: end - start,
      before: start > 0 ? neighbor(this.byTenant[start - 1]) : null,
      after: end < this.byTenant.length ? neighbor(this.byTenant[end]) : null,
      proof: rangeProof(this.tenant, from, to).map((hash) => hash.toString('hex')),
    };
  }

  private firstAtOrAfter(tenantDigest: Buffer): number {
    let low = 0;
    let high = this.byTenant.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (Buffer.compare(this.byTenant[mid].tenantDigest, tenantDigest) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function neighbor(leaf: CheckpointLeaf): SliceNeighbor {
  return { tenantDigest: leaf.tenantDigest.toString('hex'), eventHash: leaf.hash.toString('hex') };
}
