/** Who appended an event: a root key, the CLI, or the system itself. */
export interface ActorRef {
  readonly type: 'root-key' | 'cli' | 'system';
  readonly id: string;
}

/** Who did it, from where: set by the HTTP layer or the CLI, never taken from a payload. */
export interface CommandContext {
  readonly actor: ActorRef;
  readonly requestId: string;
  readonly ip?: string;
  readonly userAgent?: string;
}

/** How an actor is written in `createdBy`: `root-key:<id>`, `cli:<id>`. */
export function actorLabel(context: { actor: { type: string; id: string } }): string {
  return `${context.actor.type}:${context.actor.id}`;
}
