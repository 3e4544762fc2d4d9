import type { BsonDocument } from './standin-values';

/** MongoDB's error codes, by the names its replies carry in `codeName`. */
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  InvalidNamespace: 73,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  NotSingleValueField: 54,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  NotImplemented: 238,
  UnsupportedOpQueryCommand: 352,
  DuplicateKey: 11000,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;

/**
 * A command failure as MongoDB reports it: `{ ok: 0, errmsg, code, codeName }`, plus any
 * details (`keyPattern`/`keyValue` for a duplicate key). Inside a batch write it becomes one
 * entry of `writeErrors` instead.
 */
export class StandInCommandError extends Error {
  readonly code: number;

  constructor(
    readonly codeName: ErrorCodeName,
    message: string,
    readonly details: BsonDocument = {},
  ) {
    super(message);
    this.code = ErrorCode[codeName];
  }

  /** The reply to a command that failed as a whole. */
  toReply(): BsonDocument {
    return {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      codeName: this.codeName,
      ...this.details,
    };
  }

  /** The `writeErrors` entry for statement `index` of an insert, update or delete. */
  toWriteError(index: number): BsonDocument {
    return { index, code: this.code, errmsg: this.message, ...this.details };
  }
}

/** What the stand-in deliberately does not do; says so instead of pretending. */
export function notImplemented(what: string): StandInCommandError {
  return new StandInCommandError(
    'NotImplemented',
    `${what} is not supported by the MongoDB stand-in`,
  );
}

/** Any failure as a command error: mingo's complaints about a query become BadValue. */
export function asCommandError(error: unknown): StandInCommandError {
  if (error instanceof StandInCommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const fromQueryEngine = error instanceof Error && error.constructor.name === 'MingoError';
  return new StandInCommandError(fromQueryEngine ? 'BadValue' : 'InternalError', message);
}
