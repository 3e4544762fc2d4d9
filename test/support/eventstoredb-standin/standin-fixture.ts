import { EventStoreDBClient } from '@eventstore/db-client';
import { EventStoreDbEventStore } from '../../../src/event-store/eventstoredb/eventstoredb-event-store.adapter';
import { EventStoreDbStandIn, type EventStoreDbStandInOptions } from './eventstoredb-standin';

export interface StandInSetup {
  readonly standIn: EventStoreDbStandIn;
  /** The adapter under test, connected to the stand-in. */
  readonly store: EventStoreDbEventStore;
  /** The client on its own, for writing what Keyledger never writes. */
  readonly client: EventStoreDBClient;
}

/**
 * Stand-ins (each with its own options), adapters and raw clients for one spec file: `open()`
 * in a test, `closeAll()` after each. Closing order matters: clients before the server.
 */
export class StandInFixture {
  private readonly standIns: EventStoreDbStandIn[] = [];
  private readonly stores: EventStoreDbEventStore[] = [];
  private readonly clients: EventStoreDBClient[] = [];

  async open(options: EventStoreDbStandInOptions = {}): Promise<StandInSetup> {
    const standIn = await EventStoreDbStandIn.start(options);
    this.standIns.push(standIn);
    const client = EventStoreDBClient.connectionString(standIn.url);
    this.clients.push(client);
    return { standIn, store: this.adapter(standIn.url), client };
  }

  /** Another adapter, closed with the rest; for a URL of the test's choosing. */
  adapter(url: string, answerTimeoutMs?: number): EventStoreDbEventStore {
    const store = EventStoreDbEventStore.create(url, answerTimeoutMs ? { answerTimeoutMs } : {});
    this.stores.push(store);
    return store;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.stores.splice(0).map((store) => store.close()));
    await Promise.all(this.clients.splice(0).map((client) => client.dispose()));
    await Promise.all(this.standIns.splice(0).map((standIn) => standIn.stop()));
  }
}
