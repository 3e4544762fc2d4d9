import type { RecordedEvent } from '../event-store.port';

/** A domain event before it is stored: what `decide` returns. */
export interface DomainEvent {
  readonly type: string;
  readonly data: object;
}

/** How one kind of stream is folded and decided: the pure domain, handed to `EventStreams.execute`. */
export interface StreamDecider<S, C> {
  readonly initial: S;
  evolve(state: S, event: RecordedEvent): S;
  decide(command: C, state: S, now: Date): readonly DomainEvent[];
}

/** Narrows a stored event to a domain event union; the store only holds what we wrote. */
export function asDomainEvent<E extends DomainEvent>(event: RecordedEvent): E {
  return { type: event.type, data: event.data } as unknown as E;
}
