import type { StandInCollection, StoredDocument } from './standin-collection';
import { notImplemented } from './standin-errors';
import { compileFilter } from './standin-matcher';
import { compareValues } from './standin-ordering';
import { splitPath, valuesAlong } from './standin-paths';
import { documentView, isArray, isDocument, type BsonDocument } from './standin-values';

export interface Selection {
  /** Exact filter, as received. */
  readonly filter?: unknown;
  readonly sort?: unknown;
  readonly skip?: number;
  /** 0 or absent: no limit. */
  readonly limit?: number;
}

/** The stored documents a query selects, in MongoDB's order: natural unless sorted. */
export function select(collection: StandInCollection, selection: Selection): StoredDocument[] {
  const filter = isDocument(selection.filter) ? documentView(selection.filter) : {};
  let selected = candidates(collection, filter);
  if (Object.keys(filter).length > 0) {
    const matches = compileFilter(filter);
    selected = selected.filter((record) => matches(record.view));
  }
  if (isDocument(selection.sort) && Object.keys(selection.sort).length > 0) {
    selected = sortRecords(selected, documentView(selection.sort));
  }
  const skip = Math.max(0, selection.skip ?? 0);
  const limit = Math.abs(selection.limit ?? 0);
  return selected.slice(skip, limit > 0 ? skip + limit : undefined);
}

/** A filter on one `_id` value reads that one document, as the `_id` index would. */
function candidates(collection: StandInCollection, filter: BsonDocument): StoredDocument[] {
  if (!('_id' in filter)) return collection.documents();
  const id = filter._id;
  const operators = isDocument(id) && Object.keys(id).some((key) => key.startsWith('$'));
  const equal = operators ? (Object.keys(id).length === 1 && '$eq' in id ? id.$eq : undefined) : id;
  if (equal === undefined || Array.isArray(equal) || equal instanceof RegExp) {
    return collection.documents();
  }
  const found = collection.byId(equal);
  return found ? [found] : [];
}

function sortRecords(records: StoredDocument[], sort: BsonDocument): StoredDocument[] {
  if (Object.keys(sort).length === 1 && typeof sort.$natural === 'number') {
    return sort.$natural < 0 ? [...records].reverse() : records;
  }
  const fields = Object.entries(sort).map(([path, direction]) => {
    if (typeof direction !== 'number')
      throw notImplemented(`Sorting by ${JSON.stringify(direction)}`);
    return { segments: splitPath(path), direction: direction < 0 ? -1 : 1 };
  });
  const keyed = records.map((record) => ({
    record,
    keys: fields.map(({ segments, direction }) => sortKey(record.view, segments, direction)),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const order = fields[i].direction * compareValues(a.keys[i], b.keys[i]);
      if (order !== 0) return order;
    }
    return 0;
  });
  return keyed.map(({ record }) => record);
}

/** An array sorts by its smallest element ascending, by its largest descending; missing is null. */
function sortKey(view: BsonDocument, segments: readonly string[], direction: number): unknown {
  const values = valuesAlong(view, segments).flatMap((value) =>
    isArray(value) && value.length > 0 ? value : [value ?? null],
  );
  let best = values[0];
  for (const value of values) if (direction * compareValues(value, best) < 0) best = value;
  return best;
}
