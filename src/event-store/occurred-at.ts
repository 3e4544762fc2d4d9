import type { RecordedEvent } from './event-store.port';

/**
 * Where an adapter whose events parse their metadata on first read (the SQLite one) gives an
 * event's `occurredAt` without parsing the rest: a getter on the events' prototype, so that it is
 * no field of the event (not spread, not compared, not serialised).
 */
export const OCCURRED_AT = Symbol('occurredAt');

interface KnowsWhen {
  readonly [OCCURRED_AT]?: string;
}

/**
 * `event.metadata.occurredAt`, read without parsing the whole metadata where the adapter allows:
 * for projections, which need only that of the metadata of millions of events.
 */
export function occurredAtOf(event: RecordedEvent): string {
  return (event as KnowsWhen)[OCCURRED_AT] ?? event.metadata.occurredAt;
}
