import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store.adapter';
import { EventStoreDbStandIn } from '../support/eventstoredb-standin/eventstoredb-standin';
import { eventStoreContract } from './event-store.contract';

/** A real server when EVENTSTORE_URL is set (CI's service container); the stand-in otherwise. */
const realServer = process.env.EVENTSTORE_URL;
let standIn: EventStoreDbStandIn | undefined;
let connectionString = realServer ?? '';

beforeAll(async () => {
  if (realServer) return;
  standIn = await EventStoreDbStandIn.start();
  connectionString = standIn.url;
});

afterAll(() => standIn?.stop());

eventStoreContract(
  realServer ? 'eventstoredb (EVENTSTORE_URL)' : 'eventstoredb (gRPC stand-in)',
  () => {
    const store = EventStoreDbEventStore.create(connectionString);
    return Promise.resolve({ store, cleanup: () => store.close() });
  },
  { secondConnection: () => Promise.resolve(EventStoreDbEventStore.create(connectionString)) },
);
