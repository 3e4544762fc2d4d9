import type { EventFilter, RecordedEvent } from '../event-store/event-store.port';

/**
 * A read model fed by events. `apply` must be idempotent: applying an event it has already
 * seen (same stream and revision, or an earlier one) changes nothing.
 */
export interface Projection {
  readonly name: string;
  readonly filter: EventFilter;
  apply(event: RecordedEvent): void | Promise<void>;
}

export const PROJECTIONS = Symbol('Projections');
