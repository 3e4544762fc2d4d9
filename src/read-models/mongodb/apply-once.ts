import type { Collection, Document } from 'mongodb';
import { isDuplicateKey } from './mongo-errors';

/** A projected document: keyed by a string id chosen by the projection. */
export interface ProjectedDocument extends Document {
  _id: string;
}

/** The field in which every projected document keeps the position of the last event applied. */
export const APPLIED_AT = 'appliedAt';

/**
 * Applies `update` to document `_id` at most once for the event at `position` (a `positionKey`),
 * without transactions: the filter only matches while the document's `appliedAt` is older, and
 * the update moves `appliedAt` forward. When the document already reflects the event, the filter
 * misses, the upsert tries to insert the same `_id`, and the unique `_id` index refuses it: that
 * duplicate-key error means "already applied". Replaying an event therefore leaves the document
 * byte-identical. Returns whether this call changed the document.
 */
export async function updateOnce(
  collection: Collection<ProjectedDocument>,
  id: string,
  position: string,
  update: { readonly $set?: Document; readonly [operator: string]: Document | undefined },
): Promise<boolean> {
  const set = { ...update.$set, [APPLIED_AT]: position };
  try {
    await collection.updateOne(
      { _id: id, [APPLIED_AT]: { $lt: position } },
      { ...update, $set: set },
      { upsert: true },
    );
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}
