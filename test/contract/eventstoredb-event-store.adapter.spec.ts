import { jsonEvent } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { WrongExpectedRevision } from '../../src/event-store/event-store.port';
import { makeNewEvent, makeNewEvents } from '../support/event-factory';
import type { EventStoreDbStandInOptions } from '../support/eventstoredb-standin/eventstoredb-standin';
import { StandInFixture } from '../support/eventstoredb-standin/standin-fixture';
import {
  markPosition,
  SubscriptionProbe,
  uniqueStream,
  waitFor,
} from './event-store-contract.support';

/** What the EventStoreDB adapter does beyond the shared contract, shown on the gRPC stand-in. */
describe('EventStoreDbEventStore on the gRPC stand-in', () => {
  const fixture = new StandInFixture();
  const open = (options?: EventStoreDbStandInOptions) => fixture.open(options);

  afterEach(() => fixture.closeAll());

  it("keeps system events and other applications' streams out of readAll and subscriptions", async () => {
    const { store, client } = await open();
    const before = await markPosition(store);
    const mine = makeNewEvent({ type: 'ApiKeyCreated' });
    const keyStream = uniqueStream('apikey');
    await store.append(keyStream, [mine], 'no_stream');
    const foreign = jsonEvent({ type: 'InvoicePaid', data: { amount: 12 } });
    await client.appendToStream(`billing-${randomUUID()}`, [foreign]);
    const system = jsonEvent({ type: '$keyledger-probe', data: {} });
    await client.appendToStream(keyStream, [system]);
    const sentinel = makeNewEvent({ type: 'TenantCreated' });
    await store.append(uniqueStream('tenant'), [sentinel], 'no_stream');

    const page = await store.readAll({ after: before });
    const probe = new SubscriptionProbe(store, { after: before });
    await probe.waitForCount(2);
    await probe.subscription.close();

    for (const seen of [page, probe.events]) {
      expect(seen.map((event) => event.id)).toEqual([mine.id, sentinel.id]);
    }
  });

  it('carries the server’s commit and prepare positions exactly', async () => {
    const { store, client } = await open();
    const stream = uniqueStream('apikey');
    const { position } = await store.append(stream, makeNewEvents(3), 'no_stream');

    const raw = [];
    for await (const resolved of client.readStream(stream)) raw.push(resolved.event?.position);
    const adapted = (await store.readStream(stream)).map((event) => event.position);

    expect(adapted).toEqual(raw);
    expect(adapted[2]).toEqual(position);
    // Byte offsets in the log, not a counter: the adapter must not assume consecutive numbers.
    expect(adapted[1].commit - adapted[0].commit).toBeGreaterThan(1n);
  });

  it('refuses an append over the server’s size limit without writing or calling it a conflict', async () => {
    const { store } = await open({ maxAppendSize: 4096 });
    const stream = uniqueStream('usage');
    const bulky = makeNewEvents(2, { data: { blob: 'x'.repeat(3000) } });

    const error: unknown = await store.append(stream, bulky, 'any').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(WrongExpectedRevision);
    expect(await store.readStream(stream)).toEqual([]);
  });

  it('reports caught up only once the events sent before the signal are handled', async () => {
    const { store } = await open();
    const stream = uniqueStream('apikey');
    await store.append(stream, makeNewEvents(40), 'no_stream');
    let deliveredAtCaughtUp = -1;
    // A slow handler keeps events waiting in the client's buffer when `caught_up` arrives.
    const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 2));

    const probe = new SubscriptionProbe(store, { filter: { streamPrefixes: [stream] } }, slow);
    await probe.subscription.caughtUp.then(() => (deliveredAtCaughtUp = probe.events.length));

    expect(deliveredAtCaughtUp).toBe(40);
  });

  it('reports to onError and ends the subscription when the server goes away', async () => {
    const { store, standIn } = await open();
    const probe = new SubscriptionProbe(store, {});
    await probe.subscription.caughtUp;

    await standIn.stop();
    await waitFor(() => probe.errors.length > 0, 'the lost server to be reported');

    await expect(probe.subscription.close()).resolves.toBeUndefined();
    expect(probe.errors).toHaveLength(1);
  });

  it('lets a handler close its own subscription without deadlock', async () => {
    const { store } = await open();
    const stream = uniqueStream('apikey');
    await store.append(stream, makeNewEvents(3), 'no_stream');
    let closing: Promise<void> | undefined;
    const probe = new SubscriptionProbe(
      store,
      { filter: { streamPrefixes: [stream] } },
      async () => {
        closing = probe.subscription.close();
        await closing;
      },
    );

    await expect(probe.subscription.caughtUp).rejects.toThrow('closed before it caught up');
    await closing;

    expect(probe.events).toHaveLength(1);
  });

  it('closes its subscriptions when it closes, then refuses work', async () => {
    const { store } = await open();
    const probe = new SubscriptionProbe(store, {});
    await probe.subscription.caughtUp;

    await store.close();

    await expect(probe.subscription.close()).resolves.toBeUndefined();
    await expect(store.ping()).rejects.toThrow('closed');
    expect(() => store.subscribe({}, { onEvent: () => undefined })).toThrow('closed');
  });

  it('refuses a readAll page size below 1', async () => {
    const { store } = await open();
    await expect(store.readAll({ maxCount: 0 })).rejects.toThrow(RangeError);
  });
});
