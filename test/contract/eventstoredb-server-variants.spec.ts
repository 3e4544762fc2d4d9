import { createServer, type AddressInfo, type Socket } from 'node:net';
import { WrongExpectedRevision } from '../../src/event-store/event-store.port';
import { EventStoreUnreachable } from '../../src/event-store/event-store-unreachable';
import { makeNewEvent, makeNewEvents } from '../support/event-factory';
import type { EventStoreDbStandInOptions } from '../support/eventstoredb-standin/eventstoredb-standin';
import { StandInFixture } from '../support/eventstoredb-standin/standin-fixture';
import { SubscriptionProbe, uniqueStream, waitFor } from './event-store-contract.support';

/**
 * Servers other than a current, healthy one: older versions (which the stand-in can act as),
 * one that is not there, and one that never answers.
 */
describe('EventStoreDbEventStore with older, missing and silent servers', () => {
  const fixture = new StandInFixture();
  const open = (options?: EventStoreDbStandInOptions) => fixture.open(options);

  afterEach(() => fixture.closeAll());

  it('maps a conflict from the older Append call (servers before 21.10)', async () => {
    const { store } = await open({ batchAppend: false });
    const stream = uniqueStream('rootkey');
    const created = await store.append(stream, makeNewEvents(2), 'no_stream');
    expect(created.nextExpectedRevision).toBe(1n);

    const stale = store.append(stream, [makeNewEvent()], 0n);

    await expect(stale).rejects.toMatchObject({
      expected: 0n,
      actual: 1n,
      code: 'CONCURRENCY_CONFLICT',
    });
    await expect(store.append(uniqueStream(), [makeNewEvent()], 3n)).rejects.toBeInstanceOf(
      WrongExpectedRevision,
    );
    expect(await store.readStream(stream)).toHaveLength(2);
  });

  describe('on a server that never says it caught up (before 23.10)', () => {
    it('resolves caughtUp once the events up to the head at subscribe time are handled', async () => {
      const { store } = await open({ sendsCaughtUp: false });
      const stream = uniqueStream('apikey');
      const written = makeNewEvents(40);
      await store.append(stream, written, 'no_stream');
      let deliveredAtCaughtUp = -1;

      const probe = new SubscriptionProbe(store, { filter: { streamPrefixes: [stream] } });
      await probe.subscription.caughtUp.then(() => (deliveredAtCaughtUp = probe.events.length));
      await probe.subscription.close();

      expect(deliveredAtCaughtUp).toBe(40);
    });

    it('resolves caughtUp for an idle filtered subscription at the first checkpoint past the head', async () => {
      const { store, standIn } = await open({ sendsCaughtUp: false });
      const usage = uniqueStream('usage');
      await store.append(usage, makeNewEvents(40), 'no_stream');
      const idle = new SubscriptionProbe(store, {
        filter: { streamPrefixes: [uniqueStream('apikey')] },
      });
      let caughtUp = false;
      void idle.subscription.caughtUp.then(() => (caughtUp = true));
      // The adapter reads the head before it subscribes: once subscribed, the head is known.
      await waitFor(() => standIn.openSubscriptions === 1, 'the subscription to start');

      // The server checkpoints every 32 events it passes over; the first one at or past the
      // head needs that many more events after it (the limit of this fallback, in the README).
      await store.append(usage, makeNewEvents(32), 39n);
      await waitFor(() => caughtUp, 'caughtUp at the checkpoint past the head');
      await idle.subscription.close();

      expect(idle.events).toEqual([]);
    });
  });

  it('fails ping with one line naming the server, without its password, when nothing answers', async () => {
    const { standIn } = await open();
    const url = `esdb://admin:s3cret@127.0.0.1:${standIn.port}?tls=false`;
    await standIn.stop();
    const store = fixture.adapter(url, 2000);

    const error: unknown = await store.ping().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventStoreUnreachable);
    const message = (error as Error).message;
    expect(message).toContain(`esdb://admin:***@127.0.0.1:${standIn.port}`);
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('\n');
  });

  it('gives up on a server that accepts the connection but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket.on('error', () => undefined));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const store = fixture.adapter(`esdb://127.0.0.1:${port}?tls=false`, 300);
    try {
      await expect(store.ping()).rejects.toThrow(
        `cannot reach the event store at esdb://127.0.0.1:${port}?tls=false: no answer within 300 ms`,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
