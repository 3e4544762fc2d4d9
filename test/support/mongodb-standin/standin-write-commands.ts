import { BSON } from 'bson';
import type { StandInCollection, StoredDocument } from './standin-collection';
import {
  collectionName,
  flag,
  list,
  type CommandContext,
  type CommandHandler,
} from './standin-command-context';
import { asCommandError, notImplemented, StandInCommandError } from './standin-errors';
import { select } from './standin-query';
import { applyUpdate, parseUpdate, type ParsedUpdate } from './standin-update';
import { upsertDocument } from './standin-upsert';
import { isDocument, toView, type BsonDocument } from './standin-values';

/**
 * Runs a batch write's statements one by one. A failing statement becomes a `writeErrors`
 * entry in an `ok: 1` reply, as MongoDB reports them; an ordered batch stops there.
 */
function eachStatement(
  command: BsonDocument,
  statements: unknown[],
  run: (statement: BsonDocument, index: number) => void,
): BsonDocument[] {
  const ordered = flag(command, 'ordered', true);
  const writeErrors: BsonDocument[] = [];
  for (let index = 0; index < statements.length; index++) {
    try {
      const statement = statements[index];
      if (!isDocument(statement))
        throw new StandInCommandError('TypeMismatch', 'A write statement must be a document');
      run(statement, index);
    } catch (error) {
      writeErrors.push(asCommandError(error).toWriteError(index));
      if (ordered) break;
    }
  }
  return writeErrors;
}

const withErrors = (reply: BsonDocument, writeErrors: BsonDocument[]): BsonDocument =>
  writeErrors.length > 0 ? { ...reply, writeErrors } : reply;

const insert: CommandHandler = (command, context) => {
  const { collection } = context.catalog.ensureCollection(
    context.database,
    collectionName(command, 'insert'),
  );
  let n = 0;
  const writeErrors = eachStatement(command, list(command, 'documents'), (document) => {
    collection.insert(document);
    n++;
  });
  return withErrors({ n }, writeErrors);
};

const update: CommandHandler = (command, context) => {
  const name = collectionName(command, 'update');
  let n = 0;
  let nModified = 0;
  const upserted: BsonDocument[] = [];
  const writeErrors = eachStatement(command, list(command, 'updates'), (statement, index) => {
    if (statement.arrayFilters !== undefined) throw notImplemented('arrayFilters');
    const parsed = parseUpdate(statement.u);
    const multi = flag(statement, 'multi', false);
    if (multi && parsed.kind === 'replacement') {
      throw new StandInCommandError(
        'FailedToParse',
        'multi update is not supported for replacement-style update',
      );
    }
    const collection = context.catalog.collection(context.database, name);
    const matched = collection
      ? select(collection, { filter: statement.q, limit: multi ? 0 : 1 })
      : [];
    if (matched.length === 0 && flag(statement, 'upsert', false)) {
      const inserted = upsert(context, name, statement.q, parsed);
      n++;
      upserted.push({ index, _id: inserted.document._id });
      return;
    }
    for (const record of matched) {
      n++;
      if (updateStored(collection!, record, parsed).modified) nModified++;
    }
  });
  return withErrors({ n, nModified, ...(upserted.length > 0 ? { upserted } : {}) }, writeErrors);
};

const deleteCommand: CommandHandler = (command, context) => {
  const collection = context.catalog.collection(
    context.database,
    collectionName(command, 'delete'),
  );
  let n = 0;
  const writeErrors = eachStatement(command, list(command, 'deletes'), (statement) => {
    const limit = Number(toView(statement.limit) ?? 0);
    if (!collection) return;
    for (const record of select(collection, { filter: statement.q, limit: limit === 1 ? 1 : 0 })) {
      collection.remove(record);
      n++;
    }
  });
  return withErrors({ n }, writeErrors);
};

/** Applies the update to a stored document; `modified` is false when it changed nothing. */
export function updateStored(
  collection: StandInCollection,
  record: StoredDocument,
  parsed: ParsedUpdate,
): { readonly document: BsonDocument; readonly modified: boolean } {
  const updated = applyUpdate(record.document, parsed, { isInsert: false });
  if (Buffer.compare(BSON.serialize(updated), BSON.serialize(record.document)) === 0) {
    return { document: record.document, modified: false };
  }
  return { document: collection.replace(record, updated).document, modified: true };
}

export function upsert(
  context: CommandContext,
  name: string,
  filter: unknown,
  parsed: ParsedUpdate,
): StoredDocument {
  const document = upsertDocument(isDocument(filter) ? filter : {}, parsed);
  return context.catalog.ensureCollection(context.database, name).collection.insert(document);
}

export const WRITE_COMMANDS: Readonly<Record<string, CommandHandler>> = {
  insert,
  update,
  delete: deleteCommand,
};
