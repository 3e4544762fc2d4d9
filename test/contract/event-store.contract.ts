import type { EventStore } from '../../src/event-store/event-store.port';
import { describeAppend } from './event-store-append.contract';
import { describeConcurrency } from './event-store-concurrency.contract';
import type { ContractContext } from './event-store-contract.support';
import { SubscriptionProbe } from './event-store-contract.support';
import { describeReads } from './event-store-read.contract';
import { describeSubscriptions } from './event-store-subscribe.contract';

export interface EventStoreFixture<S extends EventStore = EventStore> {
  readonly store: S;
  /** Closes the store and removes whatever the fixture created. */
  readonly cleanup: () => Promise<void>;
}

export interface EventStoreContractOptions<S extends EventStore> {
  /**
   * Opens another connection (another client, another process's view) to the store `first`
   * uses. When given, the suite also checks conflicts and live delivery across connections.
   */
  readonly secondConnection?: (first: S) => Promise<EventStore>;
}

/**
 * The behaviour every `EventStore` adapter must have. The store may be shared and non-empty:
 * every test writes to streams of its own and reads positions it observed itself.
 */
export function eventStoreContract<S extends EventStore>(
  adapterName: string,
  makeStore: () => Promise<EventStoreFixture<S>>,
  options: EventStoreContractOptions<S> = {},
): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let fixture: EventStoreFixture<S> | undefined;
    let probes: SubscriptionProbe[] = [];
    let extraConnections: EventStore[] = [];

    const current = (): EventStoreFixture<S> => {
      if (!fixture) throw new Error('The store is only available inside a test');
      return fixture;
    };
    const { secondConnection } = options;

    const context: ContractContext = {
      store: () => current().store,
      connectAgain: secondConnection
        ? async () => {
            const connection = await secondConnection(current().store);
            extraConnections.push(connection);
            return connection;
          }
        : undefined,
      subscribe: (subscribeOptions, extra = {}) => {
        const store = extra.store ?? current().store;
        const probe = new SubscriptionProbe(store, subscribeOptions, extra.onEvent);
        probes.push(probe);
        return probe;
      },
    };

    beforeEach(async () => {
      fixture = await makeStore();
    });

    afterEach(async () => {
      await Promise.all(probes.map((probe) => probe.subscription.close()));
      await Promise.all(extraConnections.map((connection) => connection.close()));
      await fixture?.cleanup();
      fixture = undefined;
      probes = [];
      extraConnections = [];
    });

    it('answers ping while open', async () => {
      await expect(context.store().ping()).resolves.toBeUndefined();
    });

    describeAppend(context);
    describeReads(context);
    describeSubscriptions(context);
    describeConcurrency(context);
  });
}
