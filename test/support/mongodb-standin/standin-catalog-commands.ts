import { BSON } from 'bson';
import { Query } from 'mingo';
import {
  collectionName,
  cursorBatchSize,
  flag,
  list,
  type CommandContext,
  type CommandHandler,
} from './standin-command-context';
import { StandInCommandError } from './standin-errors';
import { indexDefinition } from './standin-indexes';
import { documentView, isDocument, valueKey, type BsonDocument } from './standin-values';

const ID_INDEX_SPEC = { v: 2, key: { _id: 1 }, name: '_id_' };

function existing(context: CommandContext, command: BsonDocument, commandName: string) {
  const name = collectionName(command, commandName);
  const collection = context.catalog.collection(context.database, name);
  if (!collection) {
    throw new StandInCommandError(
      'NamespaceNotFound',
      `ns does not exist: ${context.database}.${name}`,
    );
  }
  return collection;
}

const create: CommandHandler = (command, context) => {
  const name = collectionName(command, 'create');
  const { created } = context.catalog.ensureCollection(context.database, name);
  if (!created) {
    throw new StandInCommandError(
      'NamespaceExists',
      `Collection ${context.database}.${name} already exists.`,
    );
  }
  return {};
};

/** Dropping what does not exist succeeds, as on MongoDB 7.0. */
const drop: CommandHandler = (command, context) => {
  const name = collectionName(command, 'drop');
  const dropped = context.catalog.dropCollection(context.database, name);
  return dropped ? { nIndexesWas: dropped.indexes().length, ns: dropped.namespace } : {};
};

const dropDatabase: CommandHandler = (_command, context) => {
  context.catalog.dropDatabase(context.database);
  return {};
};

const listCollections: CommandHandler = (command, context) => {
  const nameOnly = flag(command, 'nameOnly', false);
  let infos: BsonDocument[] = context.catalog.collections(context.database).map((collection) =>
    nameOnly
      ? { name: collection.name, type: 'collection' }
      : {
          name: collection.name,
          type: 'collection',
          options: {},
          info: { readOnly: false },
          idIndex: ID_INDEX_SPEC,
        },
  );
  if (isDocument(command.filter)) {
    const query = new Query(documentView(command.filter));
    infos = infos.filter((info) => query.test(info));
  }
  const namespace = `${context.database}.$cmd.listCollections`;
  return {
    cursor: context.cursors.first(namespace, infos, { batchSize: cursorBatchSize(command) }),
  };
};

const listDatabases: CommandHandler = (command, context) => {
  const databases = context.catalog.databaseNames().map((name) => {
    const sizeOnDisk = context.catalog
      .collections(name)
      .flatMap((collection) => collection.documents())
      .reduce((total, record) => total + BSON.calculateObjectSize(record.document), 0);
    return { name, sizeOnDisk, empty: sizeOnDisk === 0 };
  });
  if (flag(command, 'nameOnly', false))
    return { databases: databases.map(({ name }) => ({ name })) };
  const totalSize = databases.reduce((total, database) => total + database.sizeOnDisk, 0);
  return { databases, totalSize, totalSizeMb: Math.floor(totalSize / 1024 / 1024) };
};

/** All of a command's indexes or none: a failing one (duplicates under `unique`) undoes the rest. */
const createIndexes: CommandHandler = (command, context) => {
  const name = collectionName(command, 'createIndexes');
  const { collection, created } = context.catalog.ensureCollection(context.database, name);
  const numIndexesBefore = collection.indexes().length;
  const added: string[] = [];
  try {
    for (const spec of list(command, 'indexes')) {
      if (!isDocument(spec))
        throw new StandInCommandError('TypeMismatch', 'An index spec must be a document');
      const definition = indexDefinition(spec);
      if (collection.createIndex(definition)) added.push(definition.name);
    }
  } catch (error) {
    for (const index of added) collection.dropIndex(index);
    throw error;
  }
  return {
    numIndexesBefore,
    numIndexesAfter: collection.indexes().length,
    ...(added.length === 0 ? { note: 'all indexes already exist' } : {}),
    createdCollectionAutomatically: created,
  };
};

const listIndexes: CommandHandler = (command, context) => {
  const collection = existing(context, command, 'listIndexes');
  const specs = collection.indexes().map((index) => index.spec);
  return {
    cursor: context.cursors.first(collection.namespace, specs, {
      batchSize: cursorBatchSize(command),
    }),
  };
};

const dropIndexes: CommandHandler = (command, context) => {
  const collection = existing(context, command, 'dropIndexes');
  const nIndexesWas = collection.indexes().length;
  const target = command.index;
  const names =
    target === '*'
      ? collection
          .indexes()
          .map((index) => index.name)
          .filter((name) => name !== '_id_')
      : Array.isArray(target)
        ? target.map(String)
        : isDocument(target)
          ? [indexNamed(collection.indexes(), target)]
          : [String(target)];
  for (const name of names) collection.dropIndex(name);
  return { nIndexesWas };
};

function indexNamed(
  indexes: readonly { name: string; key: BsonDocument }[],
  key: BsonDocument,
): string {
  const wanted = valueKey(documentView(key));
  const found = indexes.find((index) => valueKey(documentView(index.key)) === wanted);
  if (!found)
    throw new StandInCommandError(
      'IndexNotFound',
      `can't find index with key: ${JSON.stringify(key)}`,
    );
  return found.name;
}

export const CATALOG_COMMANDS: Readonly<Record<string, CommandHandler>> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  createIndexes,
  listIndexes,
  dropIndexes,
};
