import { makeNewEvents } from '../../../test/support/event-factory';
import type { RecordedEvent } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store.adapter';

describe('SqliteSubscription', () => {
  let store: SqliteEventStore;

  beforeEach(async () => {
    store = SqliteEventStore.open(':memory:');
    await store.append('apikey-a', makeNewEvents(2500), 'no_stream');
  });
  afterEach(() => store.close());

  it('lets I/O and timers run between pages of a long catch-up', async () => {
    let delivered = 0;
    let deliveredWhenOthersRan = -1;
    const subscription = store.subscribe(
      {},
      {
        onEvent: () => {
          delivered++;
        },
      },
    );
    setImmediate(() => (deliveredWhenOthersRan = delivered));
    await subscription.caughtUp;
    await subscription.close();

    expect(delivered).toBe(2500);
    expect(deliveredWhenOthersRan).toBeGreaterThan(0);
    expect(deliveredWhenOthersRan).toBeLessThan(2500);
  });

  it('awaits a handler that returns a promise before delivering the next event', async () => {
    const order: string[] = [];
    const subscription = store.subscribe(
      {},
      {
        onEvent: async (event: RecordedEvent) => {
          order.push(`start ${event.revision}`);
          await new Promise((resolve) => setImmediate(resolve));
          order.push(`end ${event.revision}`);
        },
      },
    );
    await subscription.caughtUp;
    await subscription.close();

    expect(order.slice(0, 4)).toEqual(['start 0', 'end 0', 'start 1', 'end 1']);
    expect(order).toHaveLength(5000);
  });

  it('stops after the event whose synchronous handler closed the subscription', async () => {
    let delivered = 0;
    const subscription = store.subscribe(
      {},
      {
        onEvent: () => {
          delivered++;
          if (delivered === 10) void subscription.close();
        },
      },
    );
    await expect(subscription.caughtUp).rejects.toThrow('closed before it caught up');

    expect(delivered).toBe(10);
  });
});
