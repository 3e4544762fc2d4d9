import type { DomainEvent, StreamDecider } from '../shared/decider';
import type { RecordedEvent } from './event-store.port';
import { occurredAtOf } from './occurred-at';

/** What folding a stream needs of its decider. */
export type Fold<S, E extends DomainEvent> = Pick<
  StreamDecider<S, unknown, E>,
  'initial' | 'eventTypes' | 'evolve'
>;

/**
 * A stored event as a domain event of its stream, or undefined when the stream's decider does not
 * know the type (one written by a newer version, say). The type is checked; the data is trusted as
 * the shape its type declares, since only the stream's own `decide` writes it.
 */
export function domainEventOf<E extends DomainEvent>(
  recorded: RecordedEvent,
  types: readonly E['type'][],
): E | undefined {
  if (!(types as readonly string[]).includes(recorded.type)) return undefined;
  const event: DomainEvent = { type: recorded.type, data: recorded.data };
  return event as E;
}

/** One step of a fold over stored events: `evolve` told when it occurred; unknown types skipped. */
export function evolveRecorded<S, E extends DomainEvent>(
  decider: Fold<S, E>,
  state: S,
  recorded: RecordedEvent,
): S {
  const event = domainEventOf<E>(recorded, decider.eventTypes);
  return event === undefined ? state : decider.evolve(state, event, occurredAtOf(recorded));
}

/** A stream's state from its stored events, in stream order. */
export function foldRecorded<S, E extends DomainEvent>(
  decider: Fold<S, E>,
  events: readonly RecordedEvent[],
): S {
  let state = decider.initial;
  for (const recorded of events) state = evolveRecorded(decider, state, recorded);
  return state;
}

/**
 * The stored event seen as one of `E`, unchecked: for projections on hot paths that switch on the
 * type themselves (and so must ignore a type they do not know). Folds use `evolveRecorded`.
 */
export function asDomainEvent<E extends DomainEvent>(event: RecordedEvent): E {
  return { type: event.type, data: event.data } as unknown as E;
}
