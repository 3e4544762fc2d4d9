import type { ActorRef } from '../event-store/event-store.port';

/** Who did it, from where: set by the HTTP layer or the CLI, never taken from a payload. */
export interface CommandContext {
  readonly actor: ActorRef;
  readonly requestId: string;
  readonly ip?: string;
  readonly userAgent?: string;
}
