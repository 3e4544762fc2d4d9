import { Logger } from '@nestjs/common';
import { makeNewEvents } from '../../test/support/event-factory';
import type { RecordedEvent } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.adapter';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

/** A projection that notes what it applied, in `seen`, synchronously or after a pause. */
function recording(name: string, seen: string[], pause: boolean): Projection {
  return {
    name,
    filter: { streamPrefixes: ['apikey-'] },
    apply: (event: RecordedEvent) => {
      if (!pause) {
        seen.push(`${name} ${event.revision}`);
        return;
      }
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          seen.push(`${name} ${event.revision}`);
          resolve();
        }),
      );
    },
  };
}

describe('ProjectionRunner delivery', () => {
  let store: SqliteEventStore;
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('applies each event to every projection in order, awaiting those that return a promise', async () => {
    await store.append('apikey-a', makeNewEvents(3), 'no_stream');
    const seen: string[] = [];
    const runner = new ProjectionRunner(store, [
      recording('sync', seen, false),
      recording('async', seen, true),
      recording('last', seen, false),
    ]);
    await runner.start();
    await runner.onApplicationShutdown();

    expect(seen).toEqual(
      [0, 1, 2].flatMap((revision) => [
        `sync ${revision}`,
        `async ${revision}`,
        `last ${revision}`,
      ]),
    );
  });

  it('lets a writer wait until synchronous projections have applied its position', async () => {
    const seen: string[] = [];
    const runner = new ProjectionRunner(store, [recording('sync', seen, false)]);
    await runner.start();
    const { position } = await store.append('apikey-b', makeNewEvents(2), 'no_stream');

    await expect(runner.waitFor(position)).resolves.toBe(true);
    expect(seen).toEqual(['sync 0', 'sync 1']);
    await runner.onApplicationShutdown();
  });
});
