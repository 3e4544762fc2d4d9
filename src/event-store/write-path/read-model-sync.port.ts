import type { GlobalPosition } from '../event-store.port';

/**
 * How a writer knows its write is visible on this instance: a caller reads its own writes, and a
 * revoke stops verification here before the response leaves. One implementation per read-model
 * backend (memory: the projection runner; MongoDB: the instance's cache subscription and the
 * shared directory's position).
 */
export abstract class ReadModelSync {
  /** Resolves true when what was appended to `stream` at `position` shows; false if not in time. */
  abstract waitForWrite(stream: string, position: GlobalPosition): Promise<boolean>;
  /** Readiness: the read models this instance answers from have caught up with the store. */
  abstract isCaughtUp(): boolean;
}
