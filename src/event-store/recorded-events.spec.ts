import { makeNewEvent, type NewEventOverrides } from '../../test/support/event-factory';
import { eventTypes, type StreamDecider } from '../shared/decider';
import type { RecordedEvent } from './event-store.port';
import { domainEventOf, evolveRecorded, foldRecorded } from './recorded-events';

type Counted =
  | { readonly type: 'Added'; readonly data: { readonly n: number } }
  | { readonly type: 'Reset'; readonly data: Record<string, never> };

/** Sums what was added since the last reset, and notes when the last event occurred. */
const counter: StreamDecider<{ sum: number; at: string | null }, never, Counted> = {
  initial: { sum: 0, at: null },
  eventTypes: eventTypes<Counted>({ Added: true, Reset: true }),
  evolve: (state, event, occurredAt) =>
    event.type === 'Added'
      ? { sum: state.sum + event.data.n, at: occurredAt }
      : { sum: 0, at: occurredAt },
  decide: () => [],
};

let revision = 0n;
const recorded = (overrides: NewEventOverrides): RecordedEvent => ({
  ...makeNewEvent(overrides),
  stream: 'counter-1',
  revision: revision++,
  position: { commit: revision, prepare: revision },
});
const at = (second: number) => `2026-03-01T12:00:${String(second).padStart(2, '0')}.000Z`;
const added = (n: number, second: number) =>
  recorded({ type: 'Added', data: { n }, metadata: { occurredAt: at(second) } });

describe('stored events reaching a decider', () => {
  it('are given to evolve as domain events, type and data only, with when they occurred', () => {
    const seen: unknown[] = [];
    const spy = { ...counter, evolve: (...args: unknown[]) => (seen.push(args), counter.initial) };
    evolveRecorded(spy, counter.initial, added(2, 7));
    expect(seen).toStrictEqual([[counter.initial, { type: 'Added', data: { n: 2 } }, at(7)]]);
  });

  it('fold in stream order', () => {
    const events = [added(2, 1), added(3, 2), recorded({ type: 'Reset', data: {} }), added(4, 9)];
    expect(foldRecorded(counter, events)).toStrictEqual({ sum: 4, at: at(9) });
  });

  it('skip a type the decider does not know, leaving the state as it was', () => {
    const unknown = recorded({ type: 'Doubled', data: {}, metadata: { occurredAt: at(5) } });
    expect(domainEventOf(unknown, counter.eventTypes)).toBeUndefined();
    expect(foldRecorded(counter, [added(2, 1), unknown, added(3, 6)])).toStrictEqual({
      sum: 5,
      at: at(6),
    });
    const state = { sum: 1, at: at(0) };
    expect(evolveRecorded(counter, state, unknown)).toBe(state);
  });

  it('fold to the initial state when the stream is empty', () => {
    expect(foldRecorded(counter, [])).toBe(counter.initial);
  });
});
