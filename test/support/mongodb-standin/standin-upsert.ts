import { ObjectId } from 'bson';
import { StandInCommandError } from './standin-errors';
import { locate, setField, splitPath, withIdFirst } from './standin-paths';
import { applyUpdate, type ParsedUpdate } from './standin-update';
import { bsonTypeOf, isArray, isDocument, type BsonDocument } from './standin-values';

/**
 * The document an upsert inserts when its filter matched nothing, by MongoDB's rules: start
 * from the filter's equality fields (`a: v`, `a: { $eq: v }`, inside `$and`; in path order),
 * only `_id` of them for a replacement; apply the update as an insert (`$setOnInsert` counts);
 * give it a new ObjectId unless it has an `_id`, which goes first.
 */
export function upsertDocument(filter: BsonDocument, update: ParsedUpdate): BsonDocument {
  const equalities = new Map<string, unknown>();
  collectEqualities(filter, equalities);
  const paths = [...equalities.keys()]
    .filter((path) => update.kind === 'operators' || path === '_id')
    .sort();
  for (let i = 1; i < paths.length; i++) {
    if (paths[i].startsWith(`${paths[i - 1]}.`)) {
      throw new StandInCommandError(
        'NotSingleValueField',
        `cannot infer query fields to set, path '${paths[i - 1]}' is matched twice`,
      );
    }
  }
  const seed: BsonDocument = {};
  for (const path of paths) {
    const location = locate(seed, splitPath(path), true)!;
    setField(location.container, location.key, equalities.get(path));
  }
  const document = applyUpdate(seed, update, { isInsert: true });
  return '_id' in document ? withIdFirst(document) : { _id: new ObjectId(), ...document };
}

function collectEqualities(filter: BsonDocument, into: Map<string, unknown>): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isDocument(clause)) collectEqualities(clause, into);
      continue;
    }
    if (key.startsWith('$') || value instanceof RegExp || bsonTypeOf(value) === 'BSONRegExp')
      continue;
    const operators =
      isDocument(value) && Object.keys(value)[0]?.startsWith('$') ? value : undefined;
    // `$in` with one value is an equality to MongoDB's query planner, and so to upserts.
    const single =
      isArray(operators?.$in) && operators.$in.length === 1 ? operators.$in : undefined;
    if (operators && !('$eq' in operators) && !single) continue;
    const equal = !operators ? value : '$eq' in operators ? operators.$eq : single?.[0];
    if (into.has(key)) {
      throw new StandInCommandError(
        'NotSingleValueField',
        `cannot infer query fields to set, path '${key}' is matched twice`,
      );
    }
    into.set(key, equal);
  }
}
