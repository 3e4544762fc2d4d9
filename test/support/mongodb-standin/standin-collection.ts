import { ObjectId } from 'bson';
import { StandInCommandError } from './standin-errors';
import {
  duplicateKeyError,
  indexDefinition,
  UniqueIndex,
  type IndexDefinition,
} from './standin-indexes';
import { withIdFirst } from './standin-paths';
import { bsonTypeOf, documentView, valueKey, type BsonDocument } from './standin-values';

/** A stored document: exact (as the client sent it) and as a view for matching; `id` is its `_id` key. */
export interface StoredDocument {
  readonly id: string;
  readonly document: BsonDocument;
  readonly view: BsonDocument;
}

const ID_INDEX = indexDefinition({ key: { _id: 1 }, name: '_id_' });

/**
 * One collection: documents in insertion (natural) order keyed by `_id`, and its indexes.
 * Only unique indexes hold entries; the others are remembered for `listIndexes`.
 */
export class StandInCollection {
  private readonly records = new Map<string, StoredDocument>();
  private readonly definitions: IndexDefinition[] = [ID_INDEX];
  private unique: UniqueIndex[] = [];

  constructor(
    readonly database: string,
    readonly name: string,
  ) {}

  get namespace(): string {
    return `${this.database}.${this.name}`;
  }

  get size(): number {
    return this.records.size;
  }

  documents(): StoredDocument[] {
    return [...this.records.values()];
  }

  /** The document whose `_id` equals this view of a value, if any. */
  byId(idView: unknown): StoredDocument | undefined {
    return this.records.get(valueKey(idView));
  }

  insert(document: BsonDocument): StoredDocument {
    const stored = this.stored(
      withIdFirst('_id' in document ? document : { _id: new ObjectId(), ...document }),
    );
    if (this.records.has(stored.id)) {
      throw duplicateKeyError(this.namespace, ID_INDEX, { _id: stored.document._id });
    }
    const keys = this.unique.map((index) => index.keysOf(stored.document, stored.view));
    this.unique.forEach((index, i) => index.check(keys[i], stored.id));
    this.unique.forEach((index, i) => index.add(keys[i], stored.id));
    this.records.set(stored.id, stored);
    return stored;
  }

  /** Puts `document` in the place of `existing` (same `_id`, checked by the update). */
  replace(existing: StoredDocument, document: BsonDocument): StoredDocument {
    const stored = this.stored(document);
    const before = this.unique.map((index) => index.keysOf(existing.document, existing.view));
    const after = this.unique.map((index) => index.keysOf(stored.document, stored.view));
    this.unique.forEach((index, i) => index.check(after[i], existing.id));
    this.unique.forEach((index, i) => index.remove(before[i], existing.id));
    this.unique.forEach((index, i) => index.add(after[i], existing.id));
    this.records.set(existing.id, stored);
    return stored;
  }

  remove(existing: StoredDocument): void {
    this.unique.forEach((index) =>
      index.remove(index.keysOf(existing.document, existing.view), existing.id),
    );
    this.records.delete(existing.id);
  }

  indexes(): readonly IndexDefinition[] {
    return this.definitions;
  }

  /** Adds an index; false when the very same one exists. A unique one must hold already. */
  createIndex(definition: IndexDefinition): boolean {
    const sameName = this.definitions.find((index) => index.name === definition.name);
    const sameKey = this.definitions.find(
      (index) => valueKey(documentView(index.key)) === valueKey(documentView(definition.key)),
    );
    if (sameName && sameKey === sameName && sameName.unique === definition.unique) return false;
    if (sameName) {
      throw new StandInCommandError(
        'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(definition.spec)}, existing index: ${JSON.stringify(sameName.spec)}`,
      );
    }
    if (sameKey) {
      throw new StandInCommandError(
        'IndexOptionsConflict',
        `Index already exists with a different name: ${sameKey.name}`,
      );
    }
    if (definition.unique) {
      const index = new UniqueIndex(definition, this.namespace);
      for (const record of this.records.values()) {
        const keys = index.keysOf(record.document, record.view);
        index.check(keys, record.id);
        index.add(keys, record.id);
      }
      this.unique.push(index);
    }
    this.definitions.push(definition);
    return true;
  }

  dropIndex(name: string): void {
    if (name === ID_INDEX.name) {
      throw new StandInCommandError('InvalidOptions', 'cannot drop _id index');
    }
    if (!this.definitions.some((index) => index.name === name)) {
      throw new StandInCommandError('IndexNotFound', `index not found with name [${name}]`);
    }
    this.definitions.splice(
      this.definitions.findIndex((index) => index.name === name),
      1,
    );
    this.unique = this.unique.filter((index) => index.definition.name !== name);
  }

  private stored(document: BsonDocument): StoredDocument {
    const id = document._id;
    if (Array.isArray(id) || id instanceof RegExp || bsonTypeOf(id) === 'BSONRegExp') {
      throw new StandInCommandError(
        'BadValue',
        `can't use a${Array.isArray(id) ? 'n array' : ' regex'} for _id`,
      );
    }
    const view = documentView(document);
    return { id: valueKey(view._id), document, view };
  }
}
