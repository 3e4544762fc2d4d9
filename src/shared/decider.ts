/**
 * The shape of every feature's domain (emmett's decider): two pure functions over a discriminated
 * union of events, and the state they fold into. No I/O, no framework, no stored-event types: the
 * write path (src/event-store/recorded-events.ts) turns stored events into these before folding.
 */

/** A domain event: what `decide` returns and `evolve` folds; `data` is exactly what is stored. */
export interface DomainEvent {
  readonly type: string;
  readonly data: object;
}

/**
 * How one kind of stream is decided and folded, handed to the write path.
 *
 * - `decide(command, state, now)` → the events to append, none when nothing changes. Throws a
 *   `DomainError` when the command is refused, and an `Error` on a command it does not know.
 * - `evolve(state, event, occurredAt)` → the next state. It gets this stream's domain events
 *   (`E`), never stored ones: whoever folds stored events converts them first, checking the type
 *   against `eventTypes` and skipping any other. Total: an event it does not know leaves `state`
 *   as it is. Never mutates `state` or `event`.
 * - `occurredAt`: the ISO-8601 instant (UTC) the event was appended at, i.e. the `now` it was
 *   decided at; the one fact of the stored metadata a domain may use (who, from where and the
 *   hash chain are the audit's). A plain string, so that folds over millions of stored events
 *   pass the store's own `occurredAt` as it is: no object per event, no metadata to parse.
 *   Deciders that keep no time ignore it.
 * - `eventTypes`: every type of `E`, once (see `eventTypes()`).
 */
export interface StreamDecider<S, C, E extends DomainEvent = DomainEvent> {
  readonly initial: S;
  readonly eventTypes: readonly E['type'][];
  evolve(state: S, event: E, occurredAt: string): S;
  decide(command: C, state: S, now: Date): readonly E[];
}

/** Every type of an event union, in the order given: a missing or unknown type fails to compile. */
export function eventTypes<E extends DomainEvent>(types: {
  readonly [T in E['type']]: true;
}): readonly E['type'][] {
  return Object.keys(types);
}

/**
 * The `default` of an exhaustive `evolve` switch: a compile error while a case is missing, and
 * at run time (an event type this version does not know) the state unchanged. Give it the event,
 * or its `type` when the union has a single member.
 */
export function ignoreUnknownEvent<S>(_event: never, state: S): S {
  return state;
}

/**
 * The `default` of an exhaustive `decide` switch: a compile error while a case is missing, and at
 * run time a throw. Give it the command, or its `type` when the union has a single member
 * (TypeScript narrows only a union to `never`).
 */
export function rejectUnknownCommand(command: never): never {
  const unknown: unknown = command;
  const type =
    typeof unknown === 'object' && unknown !== null
      ? (unknown as { type?: unknown }).type
      : unknown;
  throw new Error(`Unknown command: ${String(type)}`);
}
