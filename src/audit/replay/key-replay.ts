import type { RecordedEvent } from '../../event-store/event-store.port';
import { evolveRecorded } from '../../event-store/recorded-events';
import { apiKeyDecider } from '../../keys';
import type { KeyRecord } from '../../keys';

export interface KeyReplay {
  /** The key as it was at the instant; undefined when it did not exist yet. */
  readonly state: KeyRecord | undefined;
  /** The events that produced it, in order. */
  readonly applied: readonly RecordedEvent[];
  /** How many of the key's events happened after the instant. */
  readonly later: number;
}

/**
 * Folds a key's events up to an instant (inclusive), with the same evolve the service uses:
 * what `keyledger replay` prints and `GET …/keys/:keyId?asOf=` answers.
 */
export function replayKey(events: readonly RecordedEvent[], asOf: Date): KeyReplay {
  let state = apiKeyDecider.initial;
  const applied: RecordedEvent[] = [];
  for (const event of events) {
    if (Date.parse(event.metadata.occurredAt) > asOf.getTime()) break;
    state = evolveRecorded(apiKeyDecider, state, event);
    applied.push(event);
  }
  const later = events.length - applied.length;
  if (!state.exists) return { state: undefined, applied, later };
  const { exists: _exists, ...fields } = state;
  return { state: { ...fields, revision: applied.length - 1 }, applied, later };
}
