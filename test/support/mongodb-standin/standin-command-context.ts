import type { StandInCatalog } from './standin-catalog';
import type { CursorRegistry } from './standin-cursors';
import { StandInCommandError } from './standin-errors';
import { optionNumber } from './standin-numbers';
import { toView, type BsonDocument } from './standin-values';

/** What a command runs against: the server's data and cursors, and who asks. */
export interface CommandContext {
  /** The command's `$db`. */
  readonly database: string;
  readonly catalog: StandInCatalog;
  readonly cursors: CursorRegistry;
  readonly connectionId: number;
}

/** Runs one command (exact BSON, as received) and returns its reply without `ok`. */
export type CommandHandler = (command: BsonDocument, context: CommandContext) => BsonDocument;

/** The collection a command names in its first field (`{ find: 'keys', … }`). */
export function collectionName(command: BsonDocument, commandName: string): string {
  const name = command[commandName];
  if (typeof name !== 'string') {
    throw new StandInCommandError(
      'InvalidNamespace',
      `collection name has invalid type ${name === null ? 'null' : typeof name}`,
    );
  }
  return name;
}

export function flag(command: BsonDocument, field: string, fallback: boolean): boolean {
  const value = toView(command[field]);
  return value === undefined || value === null ? fallback : Boolean(value);
}

export function count(command: BsonDocument, field: string): number | undefined {
  const value = command[field];
  return value === undefined || value === null ? undefined : optionNumber(value, 0);
}

/** A list a command carries (`documents`, `updates`, `pipeline`…), checked to be one. */
export function list(command: BsonDocument, field: string): unknown[] {
  const value = command[field];
  if (!Array.isArray(value)) {
    throw new StandInCommandError(
      'TypeMismatch',
      `BSON field '${field}' is missing or not an array`,
    );
  }
  return value;
}

/** `cursor: { batchSize }` of aggregate and list commands. */
export function cursorBatchSize(command: BsonDocument): number | undefined {
  const cursor = toView(command.cursor) as { batchSize?: unknown } | undefined;
  return typeof cursor?.batchSize === 'number' ? cursor.batchSize : undefined;
}
