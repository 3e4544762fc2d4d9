import type { Projection } from '../projection';

/**
 * A read model kept in MongoDB. Written by one instance at a time (the holder of the projection
 * lease), read by every instance. `apply` must be idempotent by position without transactions
 * (see `updateOnce`): replaying any range of events twice leaves every document byte-identical.
 */
export interface MongoProjection extends Projection {
  /** Creates the collections' indexes; safe to call on every start, from every instance. */
  ensureIndexes(): Promise<void>;
}
