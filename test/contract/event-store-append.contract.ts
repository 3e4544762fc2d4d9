import {
  comparePositions,
  WrongExpectedRevision,
  type EventStore,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from '../../src/event-store/event-store.port';
import { makeNewEvent, makeNewEvents } from '../support/event-factory';
import { markPosition, uniqueStream, type ContractContext } from './event-store-contract.support';

/** The parts of a recorded event that the writer chose. */
function asWritten(event: RecordedEvent): NewEvent {
  return { id: event.id, type: event.type, data: event.data, metadata: event.metadata };
}

async function expectConflict(
  attempt: Promise<unknown>,
  expected: WrongExpectedRevision['expected'],
  actual: WrongExpectedRevision['actual'],
): Promise<void> {
  const error: unknown = await attempt.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevision);
  expect(error).toMatchObject({ expected, actual, kind: 'conflict', code: 'CONCURRENCY_CONFLICT' });
}

async function revisions(store: EventStore, stream: string): Promise<bigint[]> {
  return (await store.readStream(stream)).map((event) => event.revision);
}

export function describeAppend(context: ContractContext): void {
  describe('append', () => {
    it("creates a stream with 'no_stream' and records the event as written", async () => {
      const store = context.store();
      const stream = uniqueStream('apikey');
      const event = makeNewEvent({ type: 'ApiKeyCreated' });

      const result = await store.append(stream, [event], 'no_stream');

      expect(result.nextExpectedRevision).toBe(0n);
      expect(typeof result.position.commit).toBe('bigint');
      expect(typeof result.position.prepare).toBe('bigint');
      const [recorded, ...rest] = await store.readStream(stream);
      expect(rest).toEqual([]);
      expect(asWritten(recorded)).toStrictEqual(event);
      expect(recorded).toMatchObject({ stream, revision: 0n, position: result.position });
    });

    it("rejects 'no_stream' on an existing stream and writes nothing", async () => {
      const store = context.store();
      const stream = uniqueStream('tenant');
      const first = makeNewEvent({ type: 'TenantCreated' });
      await store.append(stream, [first], 'no_stream');

      await expectConflict(store.append(stream, makeNewEvents(2), 'no_stream'), 'no_stream', 0n);

      expect((await store.readStream(stream)).map((event) => event.id)).toEqual([first.id]);
    });

    it('accepts the exact last revision and rejects a stale one without writing', async () => {
      const store = context.store();
      const stream = uniqueStream('apikey');
      const created = await store.append(stream, makeNewEvents(2), 'no_stream');
      expect(created.nextExpectedRevision).toBe(1n);

      const renamed = await store.append(stream, [makeNewEvent()], 1n);
      expect(renamed.nextExpectedRevision).toBe(2n);

      await expectConflict(store.append(stream, makeNewEvents(3), 1n), 1n, 2n);
      await expectConflict(store.append(stream, makeNewEvents(1), 5n), 5n, 2n);
      expect(await revisions(store, stream)).toEqual([0n, 1n, 2n]);
    });

    it('rejects an expected revision on a stream that does not exist', async () => {
      const store = context.store();
      const stream = uniqueStream('rootkey');

      await expectConflict(store.append(stream, [makeNewEvent()], 0n), 0n, 'no_stream');

      expect(await store.readStream(stream)).toEqual([]);
    });

    it("appends with 'any' whether or not the stream exists", async () => {
      const store = context.store();
      const stream = uniqueStream('usage');

      const first = await store.append(stream, [makeNewEvent({ type: 'UsageRecorded' })], 'any');
      const second = await store.append(stream, makeNewEvents(2, { type: 'UsageRecorded' }), 'any');

      expect(first.nextExpectedRevision).toBe(0n);
      expect(second.nextExpectedRevision).toBe(2n);
      expect(await revisions(store, stream)).toEqual([0n, 1n, 2n]);
    });

    it('writes several events atomically with consecutive revisions from 0', async () => {
      const store = context.store();
      const stream = uniqueStream('apikey');
      const events = makeNewEvents(4);

      const result = await store.append(stream, events, 'no_stream');

      const recorded = await store.readStream(stream);
      expect(recorded.map(asWritten)).toStrictEqual(events);
      expect(recorded.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n]);
      for (let i = 1; i < recorded.length; i++) {
        expect(comparePositions(recorded[i - 1].position, recorded[i].position)).toBe(-1);
      }
      expect(result).toEqual({ nextExpectedRevision: 3n, position: recorded[3].position });
    });

    it('gives later appends later positions, across streams', async () => {
      const store = context.store();
      const before = await markPosition(store);
      const first = await store.append(uniqueStream('apikey'), [makeNewEvent()], 'no_stream');
      const second = await store.append(uniqueStream('tenant'), [makeNewEvent()], 'no_stream');

      expect(comparePositions(before, first.position)).toBe(-1);
      expect(comparePositions(first.position, second.position)).toBe(-1);
    });

    it('rejects an empty list of events', async () => {
      const store = context.store();
      const stream = uniqueStream('apikey');

      await expect(store.append(stream, [], 'any')).rejects.toThrow(Error);

      expect(await store.readStream(stream)).toEqual([]);
    });

    it('returns data and metadata exactly as written', async () => {
      const store = context.store();
      const stream = uniqueStream('apikey');
      const data: JsonObject = {
        name: 'Zürich 東京 🔑 — "quoted" \\ back\\slash\nnew line\ttab',
        combining: 'e\u0301',
        nested: { scopes: ['keys:read', '*:write'], limits: { limit: 100, windowSeconds: 60 } },
        numbers: [0, -1, 1.5, 1e-7, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER],
        flags: [true, false, null],
        empty: { object: {}, array: [], string: '' },
      };
      const full = makeNewEvent({
        type: 'ApiKeyCreated',
        data,
        metadata: { ip: '2001:db8::1', userAgent: 'curl/8.5.0 (ünïcödé)' },
      });
      const minimal = makeNewEvent({ data: {} });

      const before = await markPosition(store);
      const { position } = await store.append(stream, [full, minimal], 'no_stream');

      const recorded = await store.readStream(stream);
      expect(recorded.map(asWritten)).toStrictEqual([full, minimal]);
      const page = await store.readAll({ after: before, filter: { streamPrefixes: [stream] } });
      expect(page.map(asWritten)).toStrictEqual([full, minimal]);
      expect(page[1].position).toEqual(position);
    });
  });
}
