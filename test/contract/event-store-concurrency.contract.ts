import {
  WrongExpectedRevision,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
} from '../../src/event-store/event-store.port';
import { makeNewEvent } from '../support/event-factory';
import { markPosition, uniqueStream, type ContractContext } from './event-store-contract.support';

/** Races one single-event append per store (a store may repeat) and checks exactly one won. */
async function raceAppends(
  stores: readonly EventStore[],
  stream: string,
  expected: ExpectedRevision,
): Promise<string> {
  const events = stores.map(() => makeNewEvent());
  const outcomes = await Promise.allSettled(
    stores.map((store, i) => store.append(stream, [events[i]], expected)),
  );

  const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
  const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome] : []));
  expect(winners).toHaveLength(1);
  for (const loser of losers) expect(loser.reason).toBeInstanceOf(WrongExpectedRevision);
  const won = outcomes[winners[0]] as PromiseFulfilledResult<AppendResult>;
  expect(won.value.nextExpectedRevision).toBe(
    expected === 'no_stream' ? 0n : BigInt(expected) + 1n,
  );
  return events[winners[0]].id;
}

export function describeConcurrency(context: ContractContext): void {
  describe('concurrent writers', () => {
    it('lets exactly one of several appends expecting the same revision win', async () => {
      const store = context.store();
      const stream = uniqueStream('apikey');
      const first = makeNewEvent({ type: 'ApiKeyCreated' });
      await store.append(stream, [first], 'no_stream');

      const winner = await raceAppends([store, store, store, store, store], stream, 0n);

      expect((await store.readStream(stream)).map((event) => event.id)).toEqual([first.id, winner]);
    });

    it("lets exactly one of several 'no_stream' appends create the stream", async () => {
      const store = context.store();
      const stream = uniqueStream('tenant');

      const winner = await raceAppends([store, store, store], stream, 'no_stream');

      expect((await store.readStream(stream)).map((event) => event.id)).toEqual([winner]);
    });

    const { connectAgain } = context;
    if (!connectAgain) return;

    describe('on two connections to the same store', () => {
      it('lets exactly one append win across connections', async () => {
        const [store, other] = [context.store(), await connectAgain()];
        const stream = uniqueStream('apikey');

        const created = await raceAppends([store, other, store, other], stream, 'no_stream');
        const renamed = await raceAppends([other, store, other, store], stream, 0n);

        const read = await Promise.all([store.readStream(stream), other.readStream(stream)]);
        for (const events of read) {
          expect(events.map((event) => event.id)).toEqual([created, renamed]);
        }
      });

      it("rejects a stale revision written through the other connection's view", async () => {
        const [store, other] = [context.store(), await connectAgain()];
        const stream = uniqueStream('apikey');
        await store.append(stream, [makeNewEvent()], 'no_stream');
        await other.append(stream, [makeNewEvent()], 0n);

        await expect(store.append(stream, [makeNewEvent()], 0n)).rejects.toBeInstanceOf(
          WrongExpectedRevision,
        );
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('delivers events appended through the other connection live', async () => {
        const [store, other] = [context.store(), await connectAgain()];
        const stream = uniqueStream('apikey');
        const before = await markPosition(store);
        const probe = context.subscribe({ after: before, filter: { streamPrefixes: [stream] } });
        await probe.subscription.caughtUp;

        const event = makeNewEvent({ type: 'ApiKeyRevoked' });
        await other.append(stream, [event], 'no_stream');
        await probe.waitForCount(1, 2000);

        expect(probe.events.map((recorded) => recorded.id)).toEqual([event.id]);
      });
    });
  });
}
