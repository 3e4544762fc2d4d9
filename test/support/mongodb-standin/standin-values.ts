import { EJSON, type Binary, type ObjectId } from 'bson';

/** A BSON document as `bson` deserializes it: fields in stored order. */
export type BsonDocument = Record<string, unknown>;

/**
 * Documents are kept twice: *exact* (deserialized with `promoteValues: false`, so Int32, Int64
 * and Double stay distinct and round-trip byte for byte) and as a *view* where every number is a
 * JS number, which is what mingo can match, sort and aggregate on.
 */
export function isDocument(value: unknown): value is BsonDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export const isArray = (value: unknown): value is unknown[] => Array.isArray(value);

/** The `_bsontype` of a bson class instance (`ObjectId`, `Int32`, `Long`…), else undefined. */
export function bsonTypeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { _bsontype?: unknown })._bsontype;
  return typeof type === 'string' ? type : undefined;
}

/** The value with every BSON number (Int32, Double, Int64, Decimal128) as a JS number. */
export function toView(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toView);
  if (isDocument(value)) {
    const view: BsonDocument = {};
    for (const key of Object.keys(value)) view[key] = toView(value[key]);
    return view;
  }
  if (typeof value === 'bigint') return Number(value);
  const type = bsonTypeOf(value);
  if (type === 'Int32' || type === 'Double') return (value as { value: number }).value;
  if (type === 'Long') return (value as { toNumber(): number }).toNumber();
  if (type === 'Decimal128') return Number(String(value));
  return value;
}

export function documentView(document: BsonDocument): BsonDocument {
  return toView(document) as BsonDocument;
}

/**
 * A string equal for values MongoDB considers equal (1, 1.0 and Int64 1 alike; documents equal
 * field by field in order): the key of the `_id` map and of unique indexes. Takes a view.
 */
export function valueKey(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'number') return Object.is(value, -0) ? 'n0' : `n${value}`;
  if (typeof value === 'string') return `s${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(valueKey).join(',')}]`;
  if (isDocument(value)) {
    const fields = Object.keys(value).map(
      (key) => `${JSON.stringify(key)}:${valueKey(value[key])}`,
    );
    return `{${fields.join(',')}}`;
  }
  if (value instanceof Date) return `d${value.getTime()}`;
  if (bsonTypeOf(value) === 'ObjectId') return `o${(value as ObjectId).toHexString()}`;
  return `x${EJSON.stringify({ v: value }, { relaxed: false })}`;
}

/** How a value reads in an error message, in the shell's style: `"a"`, `ObjectId('…')`, `1`. */
export function displayValue(value: unknown): string {
  const view = toView(value);
  if (view === undefined || view === null) return 'null';
  if (typeof view === 'string') return JSON.stringify(view);
  if (typeof view === 'number' || typeof view === 'boolean') return String(view);
  if (Array.isArray(view)) return `[ ${view.map(displayValue).join(', ')} ]`;
  if (isDocument(view)) return displayDocument(view);
  if (view instanceof Date) return `new Date(${view.getTime()})`;
  if (bsonTypeOf(view) === 'ObjectId') return `ObjectId('${(view as ObjectId).toHexString()}')`;
  if (bsonTypeOf(view) === 'Binary') return `BinData(${(view as Binary).sub_type}, ...)`;
  return EJSON.stringify(view);
}

export function displayDocument(document: BsonDocument): string {
  const fields = Object.keys(document).map((key) => `${key}: ${displayValue(document[key])}`);
  return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
}
