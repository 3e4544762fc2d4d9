import { randomUUID } from 'node:crypto';
import { comparePositions } from '../../src/event-store/event-store.port';
import { makeNewEvent, makeNewEvents } from '../support/event-factory';
import {
  markPosition,
  settleCallbacks,
  uniqueStream,
  waitFor,
  type ContractContext,
} from './event-store-contract.support';

const ids = (events: readonly { id: string }[]): string[] => events.map((event) => event.id);

export function describeSubscriptions(context: ContractContext): void {
  describe('subscribe', () => {
    it('catches up, then delivers live events in global order, each once', async () => {
      const store = context.store();
      const [key, tenant] = [uniqueStream('apikey'), uniqueStream('tenant')];
      const before = await markPosition(store);
      const stored = [makeNewEvent(), makeNewEvent(), makeNewEvent({ type: 'TenantCreated' })];
      await store.append(key, stored.slice(0, 2), 'no_stream');
      await store.append(tenant, [stored[2]], 'no_stream');

      const probe = context.subscribe({ after: before, filter: { streamPrefixes: [key, tenant] } });
      await probe.subscription.caughtUp;
      expect(ids(probe.events)).toEqual(ids(stored));

      const live = [makeNewEvent(), makeNewEvent({ type: 'TenantRenamed' })];
      await store.append(key, [live[0]], 1n);
      await store.append(tenant, [live[1]], 0n);
      await probe.waitForCount(5);
      // Anything delivered twice would have to arrive before this one, which comes last.
      const sentinel = makeNewEvent();
      await store.append(key, [sentinel], 2n);
      await probe.waitForCount(6);

      expect(ids(probe.events)).toEqual(ids([...stored, ...live, sentinel]));
      for (let i = 1; i < probe.events.length; i++) {
        expect(comparePositions(probe.events[i - 1].position, probe.events[i].position)).toBe(-1);
      }
      expect(probe.subscription.lastPosition()).toEqual(probe.events[5].position);
      expect(probe.errors).toEqual([]);
    });

    it('starts strictly after the given position', async () => {
      const store = context.store();
      const stream = uniqueStream('apikey');
      await store.append(stream, makeNewEvents(4), 'no_stream');
      const [, second, ...rest] = await store.readStream(stream);

      const probe = context.subscribe({
        after: second.position,
        filter: { streamPrefixes: [stream] },
      });
      await probe.subscription.caughtUp;

      expect(ids(probe.events)).toEqual(ids(rest));
    });

    it('starts at the beginning of the store when no position is given', async () => {
      const store = context.store();
      const [stream, empty] = [uniqueStream('rootkey'), uniqueStream('rootkey')];
      const written = makeNewEvents(2, { type: 'RootKeyCreated' });
      await store.append(stream, written, 'no_stream');

      const probe = context.subscribe({ filter: { streamPrefixes: [stream] } });
      const idle = context.subscribe({ filter: { streamPrefixes: [empty] } });
      await Promise.all([probe.subscription.caughtUp, idle.subscription.caughtUp]);

      expect(ids(probe.events)).toEqual(ids(written));
      expect(idle.events).toEqual([]);
      expect(idle.subscription.lastPosition()).toBeUndefined();
    });

    it('delivers only events that match the filter, stored and live', async () => {
      const store = context.store();
      const token = randomUUID();
      const [key, tenant] = [uniqueStream('apikey', token), uniqueStream('tenant', token)];
      const before = await markPosition(store);
      const revoked = makeNewEvent({ type: 'ApiKeyRevoked' });
      await store.append(key, [makeNewEvent({ type: 'ApiKeyCreated' }), revoked], 'no_stream');
      await store.append(tenant, [makeNewEvent({ type: 'ApiKeyRevoked' })], 'no_stream');
      const filter = { streamPrefixes: [`apikey-${token}`], eventTypes: ['ApiKeyRevoked'] };

      const probe = context.subscribe({ after: before, filter });
      await probe.subscription.caughtUp;
      expect(ids(probe.events)).toEqual([revoked.id]);

      const liveRevoked = makeNewEvent({ type: 'ApiKeyRevoked' });
      await store.append(tenant, [makeNewEvent({ type: 'ApiKeyRevoked' })], 0n);
      await store.append(key, [makeNewEvent({ type: 'ApiKeyRenamed' }), liveRevoked], 1n);
      await probe.waitForCount(2);

      expect(ids(probe.events)).toEqual([revoked.id, liveRevoked.id]);
    });

    it('catches up through many pages of stored events', async () => {
      const store = context.store();
      const stream = uniqueStream('usage');
      const before = await markPosition(store);
      const written = makeNewEvents(1200, { type: 'UsageRecorded' });
      await store.append(stream, written.slice(0, 700), 'no_stream');
      await store.append(stream, written.slice(700), 699n);

      const probe = context.subscribe({ after: before, filter: { streamPrefixes: [stream] } });
      await probe.subscription.caughtUp;

      expect(ids(probe.events)).toEqual(ids(written));
    });

    it('delivers nothing more once closed', async () => {
      const store = context.store();
      const stream = uniqueStream('apikey');
      const before = await markPosition(store);
      const filter = { streamPrefixes: [stream] };
      const closed = context.subscribe({ after: before, filter });
      const control = context.subscribe({ after: before, filter });
      await Promise.all([closed.subscription.caughtUp, control.subscription.caughtUp]);

      await closed.subscription.close();
      await store.append(stream, [makeNewEvent()], 'no_stream');
      await control.waitForCount(1);
      await settleCallbacks();

      expect(closed.events).toEqual([]);
    });

    it('resolves close only when the handler in flight has finished', async () => {
      const store = context.store();
      const stream = uniqueStream('apikey');
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const before = await markPosition(store);
      await store.append(stream, makeNewEvents(2), 'no_stream');
      const probe = context.subscribe(
        { after: before, filter: { streamPrefixes: [stream] } },
        { onEvent: () => gate },
      );
      await probe.waitForCount(1);

      let closed = false;
      const closing = probe.subscription.close().then(() => (closed = true));
      await settleCallbacks();
      expect(closed).toBe(false);
      release();
      await closing;

      expect(closed).toBe(true);
      expect(probe.events).toHaveLength(1);
    });

    it('ends the subscription and reports to onError when the handler throws', async () => {
      const store = context.store();
      const stream = uniqueStream('apikey');
      const before = await markPosition(store);
      const failure = new Error('projection failed');
      await store.append(stream, makeNewEvents(2), 'no_stream');
      const filter = { streamPrefixes: [stream] };
      const failing = context.subscribe(
        { after: before, filter },
        {
          onEvent: () => {
            throw failure;
          },
        },
      );
      await waitFor(() => failing.errors.length > 0, 'the handler failure to be reported');

      const control = context.subscribe({ after: before, filter });
      await store.append(stream, [makeNewEvent()], 1n);
      await control.waitForCount(3);
      await settleCallbacks();

      expect(failing.errors).toEqual([failure]);
      expect(failing.events).toHaveLength(1);
    });
  });
}
