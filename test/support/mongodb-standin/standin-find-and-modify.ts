import { collectionName, flag, type CommandHandler } from './standin-command-context';
import { notImplemented, StandInCommandError } from './standin-errors';
import { project } from './standin-projection';
import { select } from './standin-query';
import { parseUpdate } from './standin-update';
import { updateStored, upsert } from './standin-write-commands';

/**
 * `findAndModify` (findOneAndUpdate/Replace/Delete): one document, chosen by `sort`, changed
 * atomically. Failures, a duplicate key included, fail the whole command (`ok: 0`).
 */
const findAndModify: CommandHandler = (command, context) => {
  const name = collectionName(command, Object.keys(command)[0]);
  const remove = flag(command, 'remove', false);
  const wantsUpsert = flag(command, 'upsert', false);
  if (command.arrayFilters !== undefined) throw notImplemented('arrayFilters');
  if (remove && command.update !== undefined) {
    throw new StandInCommandError('FailedToParse', 'Cannot specify both an update and remove=true');
  }
  if (remove && wantsUpsert) {
    throw new StandInCommandError(
      'FailedToParse',
      'Cannot specify both upsert=true and remove=true',
    );
  }
  if (!remove && command.update === undefined) {
    throw new StandInCommandError(
      'FailedToParse',
      'Either an update or remove=true must be specified',
    );
  }
  const collection = context.catalog.collection(context.database, name);
  const [matched] = collection
    ? select(collection, { filter: command.query, sort: command.sort, limit: 1 })
    : [];
  const shown = (document: unknown) =>
    document ? project(document as never, command.fields) : null;
  if (remove) {
    if (matched) collection!.remove(matched);
    return { lastErrorObject: { n: matched ? 1 : 0 }, value: shown(matched?.document) };
  }
  const parsed = parseUpdate(command.update);
  const returnNew = flag(command, 'new', false);
  if (matched) {
    const updated = updateStored(collection!, matched, parsed).document;
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: shown(returnNew ? updated : matched.document),
    };
  }
  if (!wantsUpsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null };
  const inserted = upsert(context, name, command.query, parsed);
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted.document._id },
    value: shown(returnNew ? inserted.document : undefined),
  };
};

export const FIND_AND_MODIFY_COMMANDS = { findAndModify, findandmodify: findAndModify };
