import { StandInCommandError } from './standin-errors';
import { displayValue, isDocument, type BsonDocument } from './standin-values';

/** Where a dotted path ends: the field `key` of `container` (a document or an array). */
export interface PathLocation {
  readonly container: BsonDocument | unknown[];
  readonly key: string;
}

export const isArrayIndex = (segment: string): boolean => /^(0|[1-9]\d*)$/.test(segment);

export function splitPath(path: string): string[] {
  const segments = path.split('.');
  if (path === '' || segments.some((segment) => segment === '')) {
    throw new StandInCommandError(
      'BadValue',
      `The update path '${path}' contains an empty field name`,
    );
  }
  return segments;
}

/**
 * Walks to the parent of the path's last field, as MongoDB's update does: numeric segments
 * index arrays, missing parents are created as documents when `create` (else undefined is
 * returned), and a scalar in the way is an error (PathNotViable), never silently replaced.
 */
export function locate(
  document: BsonDocument,
  segments: readonly string[],
  create: boolean,
): PathLocation | undefined {
  let container: BsonDocument | unknown[] = document;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i];
    if (Array.isArray(container) && !isArrayIndex(segment)) {
      if (!create) return undefined;
      throw notViable(segment, '', container);
    }
    let next = Array.isArray(container)
      ? container[Number(segment)]
      : getField({ container, key: segment });
    if (next === undefined) {
      if (!create) return undefined;
      next = {};
      setField(container, segment, next);
    } else if (!isDocument(next) && !Array.isArray(next)) {
      if (!create) return undefined;
      throw notViable(segments[i + 1], segment, next);
    }
    container = next as BsonDocument | unknown[];
  }
  return { container, key: segments[segments.length - 1] };
}

function notViable(field: string, parent: string, value: unknown): StandInCommandError {
  const element = parent === '' ? displayValue(value) : `{${parent}: ${displayValue(value)}}`;
  return new StandInCommandError(
    'PathNotViable',
    `Cannot create field '${field}' in element ${element}`,
  );
}

export function getField(location: PathLocation): unknown {
  const { container, key } = location;
  if (Array.isArray(container)) return isArrayIndex(key) ? container[Number(key)] : undefined;
  return Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
}

/** Sets in place: an existing field keeps its position, a new one goes last (arrays pad with null). */
export function setField(container: BsonDocument | unknown[], key: string, value: unknown): void {
  if (!Array.isArray(container)) {
    // A field may be called `__proto__` in BSON; plain assignment would set the prototype.
    if (key === '__proto__')
      Object.defineProperty(container, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else container[key] = value;
    return;
  }
  if (!isArrayIndex(key)) throw notViable(key, '', container);
  const index = Number(key);
  while (container.length < index) container.push(null);
  container[index] = value;
}

/** Removes a field; an array element becomes null, as `$unset` does. */
export function removeField(location: PathLocation): void {
  const { container, key } = location;
  if (!Array.isArray(container)) delete container[key];
  else if (isArrayIndex(key) && Number(key) < container.length) container[Number(key)] = null;
}

/**
 * Every value a query path reaches, descending into arrays the way indexes and sorts do
 * (`a.b` over `{a: [{b: 1}, {b: 2}]}` reaches 1 and 2); a missing field reaches undefined.
 */
export function valuesAlong(value: unknown, segments: readonly string[], from = 0): unknown[] {
  if (from === segments.length) return [value];
  const segment = segments[from];
  if (Array.isArray(value)) {
    const reached: unknown[] = [];
    if (isArrayIndex(segment) && Number(segment) < value.length) {
      reached.push(...valuesAlong(value[Number(segment)], segments, from + 1));
    }
    for (const element of value) {
      if (isDocument(element)) reached.push(...valuesAlong(element, segments, from));
    }
    return reached.length > 0 ? reached : [undefined];
  }
  if (isDocument(value)) return valuesAlong(value[segment], segments, from + 1);
  return [undefined];
}

/** A copy of a document's structure; BSON values (ObjectId, Int32…) are immutable and shared. */
export function cloneValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (isDocument(value)) {
    const copy: BsonDocument = {};
    for (const key of Object.keys(value)) copy[key] = cloneValue(value[key]);
    return copy as T;
  }
  return value;
}

/** The document with `_id` first, where MongoDB always stores it. */
export function withIdFirst(document: BsonDocument): BsonDocument {
  const keys = Object.keys(document);
  if (keys[0] === '_id' || !keys.includes('_id')) return document;
  const reordered: BsonDocument = { _id: document._id };
  for (const key of keys) if (key !== '_id') reordered[key] = document[key];
  return reordered;
}
