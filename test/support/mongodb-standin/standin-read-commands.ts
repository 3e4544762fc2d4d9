import { Aggregator, ProcessingMode } from 'mingo';
import {
  collectionName,
  count,
  cursorBatchSize,
  flag,
  list,
  type CommandContext,
  type CommandHandler,
} from './standin-command-context';
import { notImplemented, StandInCommandError } from './standin-errors';
import { splitPath, valuesAlong } from './standin-paths';
import { project } from './standin-projection';
import { select } from './standin-query';
import { isDocument, toView, valueKey, type BsonDocument } from './standin-values';

const find: CommandHandler = (command, context) => {
  const name = collectionName(command, 'find');
  const limit = count(command, 'limit') ?? 0;
  const skip = count(command, 'skip') ?? 0;
  if (skip < 0) throw new StandInCommandError('BadValue', 'skip value must be non-negative');
  const collection = context.catalog.collection(context.database, name);
  const selected = collection
    ? select(collection, { filter: command.filter, sort: command.sort, skip, limit })
    : [];
  const documents = selected.map((record) => project(record.document, command.projection));
  const singleBatch = flag(command, 'singleBatch', false) || limit < 0;
  const batchSize = count(command, 'batchSize');
  const cursor = context.cursors.first(`${context.database}.${name}`, documents, {
    batchSize,
    singleBatch,
  });
  return { cursor };
};

const getMore: CommandHandler = (command, context) => ({
  cursor: context.cursors.more(command.getMore, count(command, 'batchSize')),
});

const killCursors: CommandHandler = (command, context) =>
  context.cursors.kill(list(command, 'cursors'));

const countCommand: CommandHandler = (command, context) => {
  const collection = context.catalog.collection(context.database, collectionName(command, 'count'));
  const selection = {
    filter: command.query,
    skip: count(command, 'skip'),
    limit: count(command, 'limit'),
  };
  return { n: collection ? select(collection, selection).length : 0 };
};

const distinct: CommandHandler = (command, context) => {
  const collection = context.catalog.collection(
    context.database,
    collectionName(command, 'distinct'),
  );
  if (typeof command.key !== 'string') {
    throw new StandInCommandError(
      'TypeMismatch',
      "BSON field 'distinct.key' is missing or not a string",
    );
  }
  const segments = splitPath(command.key);
  const values = new Map<string, unknown>();
  for (const record of collection ? select(collection, { filter: command.query }) : []) {
    for (const reached of valuesAlong(record.document, segments)) {
      for (const value of Array.isArray(reached) ? reached : [reached]) {
        const key = valueKey(toView(value));
        if (value !== undefined && !values.has(key)) values.set(key, value);
      }
    }
  }
  return { values: [...values.values()] };
};

/** Stages that write or need a server feature: refused rather than half done in memory. */
const REFUSED_STAGES = ['$out', '$merge', '$changeStream', '$search', '$geoNear', '$collStats'];

/**
 * `aggregate` with mingo over the views: results carry numbers as JS numbers (Int32 when whole
 * and in range, else Double), not always the type MongoDB would compute.
 */
const aggregate: CommandHandler = (command, context) => {
  if (flag(command, 'explain', false)) throw notImplemented('explain');
  const pipeline = toView(list(command, 'pipeline')) as BsonDocument[];
  for (const stage of pipeline) {
    const name = isDocument(stage) ? Object.keys(stage)[0] : undefined;
    if (name && REFUSED_STAGES.includes(name)) throw notImplemented(`The ${name} stage`);
  }
  const target = command.aggregate;
  const name = typeof target === 'string' ? target : '$cmd.aggregate';
  const input = typeof target === 'string' ? viewsOf(context, target) : [];
  const aggregator = new Aggregator(pipeline, {
    processingMode: ProcessingMode.CLONE_INPUT,
    collectionResolver: (other: string) => viewsOf(context, other),
  });
  const documents = aggregator.run<BsonDocument>(input);
  const cursor = context.cursors.first(`${context.database}.${name}`, documents, {
    batchSize: cursorBatchSize(command),
  });
  return { cursor };
};

function viewsOf(context: CommandContext, name: string): BsonDocument[] {
  const collection = context.catalog.collection(context.database, name);
  return collection ? collection.documents().map((record) => record.view) : [];
}

export const READ_COMMANDS: Readonly<Record<string, CommandHandler>> = {
  find,
  getMore,
  killCursors,
  count: countCommand,
  distinct,
  aggregate,
};
