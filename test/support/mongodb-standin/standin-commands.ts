import { CATALOG_COMMANDS } from './standin-catalog-commands';
import type { CommandContext, CommandHandler } from './standin-command-context';
import { asCommandError, notImplemented, StandInCommandError } from './standin-errors';
import { FIND_AND_MODIFY_COMMANDS } from './standin-find-and-modify';
import { HANDSHAKE_COMMANDS } from './standin-handshake-commands';
import { READ_COMMANDS } from './standin-read-commands';
import { WRITE_COMMANDS } from './standin-write-commands';
import { toView, type BsonDocument } from './standin-values';

const COMMANDS: Readonly<Record<string, CommandHandler>> = {
  ...HANDSHAKE_COMMANDS,
  ...CATALOG_COMMANDS,
  ...READ_COMMANDS,
  ...WRITE_COMMANDS,
  ...FIND_AND_MODIFY_COMMANDS,
};

/** The handshake, the only commands MongoDB still accepts over legacy OP_QUERY. */
export const OP_QUERY_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);

/**
 * Runs one command and returns MongoDB's reply: `{ …, ok: 1 }` or
 * `{ ok: 0, errmsg, code, codeName }`. Session and cluster fields (`lsid`, `$clusterTime`,
 * `$readPreference`, `readConcern`, `writeConcern`, `comment`, `apiVersion`…) are ignored;
 * transactions are refused, as a standalone server refuses them.
 */
export function runCommand(command: BsonDocument, context: CommandContext): BsonDocument {
  const name = Object.keys(command)[0] ?? '';
  try {
    refuseTransactions(name, command);
    const handler = Object.prototype.hasOwnProperty.call(COMMANDS, name)
      ? COMMANDS[name]
      : undefined;
    if (!handler) {
      throw new StandInCommandError('CommandNotFound', `no such command: '${name}'`);
    }
    if (command.collation !== undefined) throw notImplemented('Collation');
    return { ...handler(command, context), ok: 1 };
  } catch (error) {
    return asCommandError(error).toReply();
  }
}

function refuseTransactions(name: string, command: BsonDocument): void {
  const transactional =
    command.txnNumber !== undefined ||
    toView(command.autocommit) === false ||
    toView(command.startTransaction) === true ||
    name === 'commitTransaction' ||
    name === 'abortTransaction';
  if (transactional) {
    throw new StandInCommandError(
      'IllegalOperation',
      'Transaction numbers are only allowed on a replica set member or mongos (the MongoDB stand-in has no transactions)',
    );
  }
}
