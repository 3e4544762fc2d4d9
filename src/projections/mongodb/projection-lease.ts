import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from './mongo-errors';

interface LeaseDocument {
  _id: string;
  owner: string;
  /** Epoch ms after which another instance may take the lease. */
  expiresAtMs: number;
}

export const LEASE_COLLECTION = 'projection_leases';

/**
 * Who writes the MongoDB projections: one lease document, held by one instance until it stops
 * renewing it. Taking it is one conditional upsert: it matches when the lease is ours or has
 * expired; when another instance holds a live lease, the filter misses and the upsert's insert
 * of the same `_id` fails on the unique index, which means "taken". Instances' clocks are assumed
 * to agree within a small fraction of the TTL. Correctness does not rest on the lease (every
 * projection write is idempotent by position); the lease keeps the work in one place.
 */
export class ProjectionLease {
  private readonly leases: Collection<LeaseDocument>;

  constructor(
    db: Db,
    private readonly name: string,
    readonly owner: string,
    readonly ttlMs: number,
  ) {
    this.leases = db.collection<LeaseDocument>(LEASE_COLLECTION);
  }

  /** Takes or renews the lease; false when another instance holds it. */
  async acquire(nowMs: number): Promise<boolean> {
    try {
      await this.leases.updateOne(
        { _id: this.name, $or: [{ owner: this.owner }, { expiresAtMs: { $lte: nowMs } }] },
        { $set: { owner: this.owner, expiresAtMs: nowMs + this.ttlMs } },
        { upsert: true },
      );
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Gives the lease up at once (graceful shutdown), so another instance need not wait the TTL. */
  async release(): Promise<void> {
    await this.leases.updateOne(
      { _id: this.name, owner: this.owner },
      { $set: { expiresAtMs: 0 } },
    );
  }

  async holder(): Promise<{ readonly owner: string; readonly expiresAtMs: number } | undefined> {
    const lease = await this.leases.findOne({ _id: this.name });
    return lease ? { owner: lease.owner, expiresAtMs: lease.expiresAtMs } : undefined;
  }
}
