import { StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
import { WrongExpectedRevision, type ExpectedRevision } from '../event-store.port';

/**
 * The client's concurrency failure as the port's. `expected` is what the caller passed (the
 * client reports its own spelling of it); the actual revision is the server's.
 */
export function toPortError(error: unknown, stream: string, expected: ExpectedRevision): unknown {
  if (!(error instanceof WrongExpectedVersionError)) return error;
  const actual = error.actualVersion;
  return new WrongExpectedRevision(
    stream,
    expected,
    typeof actual === 'bigint' ? actual : 'no_stream',
  );
}

export function isStreamNotFound(error: unknown): boolean {
  return error instanceof StreamNotFoundError;
}
