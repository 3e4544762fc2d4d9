import type { MongoProjection } from './mongodb/mongo-projection';
import type { Projection } from './projection';

/**
 * What one feature adds to the projections, for the read-model backend in use. The composition
 * root gathers every feature's (`app.read-models.ts`); this folder never names a feature.
 */
export interface FeatureReadModels {
  /** Rebuilt in this process's memory from the store at every start (READ_MODELS=memory: all). */
  readonly local: readonly Projection[];
  /** Kept in MongoDB (READ_MODELS=mongodb) by the holder of the projection lease. */
  readonly shared: readonly MongoProjection[];
  /** Caches in front of the shared models, fed on every instance by its own subscription. */
  readonly fed: readonly Projection[];
}

export const memoryOnly = (...local: Projection[]): FeatureReadModels => ({
  local,
  shared: [],
  fed: [],
});
