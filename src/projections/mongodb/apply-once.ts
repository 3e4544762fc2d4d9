import {
  MongoBulkWriteError,
  type Collection,
  type Document,
  type Filter,
  type UpdateFilter,
} from 'mongodb';
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
export async function updateOnce<T extends ProjectedDocument>(
  collection: Collection<T>,
  id: string,
  position: string,
  update: ProjectionUpdate,
): Promise<boolean> {
  try {
    await untyped(collection).updateOne(
      notYetApplied(id, position),
      movingAppliedAt(position, update),
      {
        upsert: true,
      },
    );
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** Update operators (`$inc`, `$setOnInsert`, …) for one document; `appliedAt` is added to `$set`. */
export type ProjectionUpdate = {
  readonly $set?: Document;
  readonly [operator: string]: Document | undefined;
};

/** One document's update for `updateEachOnce`. */
export interface DocumentUpdate {
  readonly id: string;
  readonly update: ProjectionUpdate;
}

/**
 * `updateOnce` for many documents in one round trip: an unordered bulk write of conditional
 * upserts, for an event that touches thousands of documents. Each `id` must appear once (sum
 * an event's contributions per document first: a second update of the same document at the
 * same position would be refused as already applied). Duplicate-key errors mean "already
 * applied"; any other error is thrown once every update was tried. Returns how many documents
 * this call changed.
 */
export async function updateEachOnce<T extends ProjectedDocument>(
  collection: Collection<T>,
  position: string,
  updates: readonly DocumentUpdate[],
): Promise<number> {
  if (updates.length === 0) return 0;
  const operations = updates.map(({ id, update }) => ({
    updateOne: {
      filter: notYetApplied(id, position),
      update: movingAppliedAt(position, update),
      upsert: true,
    },
  }));
  try {
    const result = await untyped(collection).bulkWrite(operations, { ordered: false });
    return result.upsertedCount + result.modifiedCount;
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    // Write errors are reported before a write concern error: check both.
    const writeErrors = [error.writeErrors].flat();
    const onlyApplied = writeErrors.length > 0 && writeErrors.every((e) => e.code === 11000);
    if (!onlyApplied || error.result.getWriteConcernError() !== undefined) throw error;
    return error.result.upsertedCount + error.result.modifiedCount;
  }
}

/** Matches document `id` only while it does not reflect the event at `position` yet. */
function notYetApplied(id: string, position: string): Filter<ProjectedDocument> {
  return { _id: id, [APPLIED_AT]: { $lt: position } };
}

function movingAppliedAt(
  position: string,
  update: ProjectionUpdate,
): UpdateFilter<ProjectedDocument> {
  return { ...update, $set: { ...update.$set, [APPLIED_AT]: position } };
}

/** The filters above name only `_id` and `appliedAt`, which every projected document has. */
function untyped<T extends ProjectedDocument>(
  collection: Collection<T>,
): Collection<ProjectedDocument> {
  return collection as unknown as Collection<ProjectedDocument>;
}
