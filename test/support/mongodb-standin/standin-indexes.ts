import { Query } from 'mingo';
import { StandInCommandError } from './standin-errors';
import { splitPath, valuesAlong } from './standin-paths';
import {
  displayDocument,
  isArray,
  isDocument,
  toView,
  valueKey,
  type BsonDocument,
} from './standin-values';

/** An index as `createIndexes` described it (`listIndexes` returns `spec`, with `v: 2`). */
export interface IndexDefinition {
  readonly name: string;
  readonly key: BsonDocument;
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partialFilterExpression?: BsonDocument;
  readonly spec: BsonDocument;
}

export function indexDefinition(spec: BsonDocument): IndexDefinition {
  const key = spec.key;
  if (!isDocument(key) || Object.keys(key).length === 0) {
    throw new StandInCommandError(
      'BadValue',
      "Index specification must have a non-empty 'key' document",
    );
  }
  const name = typeof spec.name === 'string' ? spec.name : defaultIndexName(key);
  const partial = spec.partialFilterExpression;
  return {
    name,
    key,
    unique: toView(spec.unique) === true,
    sparse: toView(spec.sparse) === true,
    partialFilterExpression: isDocument(partial) ? partial : undefined,
    spec: { v: 2, ...spec, name },
  };
}

function defaultIndexName(key: BsonDocument): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${String(toView(direction))}`)
    .join('_');
}

/** One key of one document in a unique index: the comparable key and the values it holds. */
interface IndexKey {
  readonly key: string;
  readonly keyValue: BsonDocument;
}

/**
 * The entries of one unique index: key → `_id` key of the document holding it. A missing
 * field indexes as null (so two documents without it collide) unless the index is sparse or
 * partial; an array indexes each of its elements (multikey).
 */
export class UniqueIndex {
  private readonly entries = new Map<string, string>();
  private readonly fields: { readonly path: string; readonly segments: string[] }[];
  private readonly partial?: Query;

  constructor(
    readonly definition: IndexDefinition,
    private readonly namespace: string,
  ) {
    this.fields = Object.keys(definition.key).map((path) => ({ path, segments: splitPath(path) }));
    const filter = definition.partialFilterExpression;
    this.partial = filter ? new Query(toView(filter) as BsonDocument) : undefined;
  }

  /** The document's keys in this index; none when sparse or partial leaves it out. */
  keysOf(document: BsonDocument, view: BsonDocument): IndexKey[] {
    if (this.partial && !this.partial.test(view)) return [];
    const perField = this.fields.map(({ segments }) =>
      valuesAlong(document, segments).flatMap((value) =>
        isArray(value) ? (value.length > 0 ? value : [undefined]) : [value],
      ),
    );
    if (
      this.definition.sparse &&
      perField.every((values) => values.every((v) => v === undefined))
    ) {
      return [];
    }
    let combinations: unknown[][] = [[]];
    for (const values of perField) {
      combinations = combinations.flatMap((prefix) => values.map((value) => [...prefix, value]));
    }
    const keys = new Map<string, IndexKey>();
    for (const combination of combinations) {
      const key = combination.map((value) => valueKey(toView(value))).join('|');
      const keyValue: BsonDocument = {};
      this.fields.forEach(({ path }, i) => (keyValue[path] = combination[i] ?? null));
      keys.set(key, { key, keyValue });
    }
    return [...keys.values()];
  }

  /** Throws the E11000 error when another document (not `ownerId`) holds one of the keys. */
  check(keys: readonly IndexKey[], ownerId: string): void {
    for (const { key, keyValue } of keys) {
      const holder = this.entries.get(key);
      if (holder !== undefined && holder !== ownerId) throw this.duplicate(keyValue);
    }
  }

  add(keys: readonly IndexKey[], ownerId: string): void {
    for (const { key } of keys) this.entries.set(key, ownerId);
  }

  remove(keys: readonly IndexKey[], ownerId: string): void {
    for (const { key } of keys) if (this.entries.get(key) === ownerId) this.entries.delete(key);
  }

  duplicate(keyValue: BsonDocument): StandInCommandError {
    return duplicateKeyError(this.namespace, this.definition, keyValue);
  }
}

export function duplicateKeyError(
  namespace: string,
  definition: Pick<IndexDefinition, 'name' | 'key'>,
  keyValue: BsonDocument,
): StandInCommandError {
  return new StandInCommandError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${namespace} index: ${definition.name} dup key: ${displayDocument(keyValue)}`,
    { keyPattern: definition.key, keyValue },
  );
}
