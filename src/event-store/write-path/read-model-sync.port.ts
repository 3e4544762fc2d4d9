import type { GlobalPosition } from '../event-store.port';

/** How long a writer waits for its write to show on this instance, unless configured otherwise. */
export const DEFAULT_WRITE_WAIT_MS = 10_000;

/**
 * How a writer knows its write is visible on this instance: a caller reads its own writes, and a
 * revoke stops verification here before the response leaves. One implementation per read-model
 * backend (memory: the projection runner; MongoDB: the instance's cache subscription and the
 * shared directory's position).
 */
export abstract class ReadModelSync {
  /**
   * Waits, for at most the implementation's configured time (default `DEFAULT_WRITE_WAIT_MS`),
   * until what was appended to `stream` at `position` shows in every read model this instance
   * answers from. Resolves true once it shows (a read here then sees it); false if it did not show
   * in time (a projection stalled, the shared models' writer is behind or down). Never rejects
   * for lateness and never waits without bound. The append itself is untouched either way: the
   * command executor turns a false into 503 READ_MODEL_LAGGING, and the events stay appended.
   */
  abstract waitForWrite(stream: string, position: GlobalPosition): Promise<boolean>;
  /** Readiness: the read models this instance answers from have caught up with the store. */
  abstract isCaughtUp(): boolean;
}
