import { join } from 'node:path';
import type { Benchmark } from './registry';
import { rssBytes, startKeyledger } from './support/processes';
import { seedEventFile } from './support/seed';
import { format, printTable } from './support/table';
import { withTempDir } from './support/temp-dir';

const KEYS = 1_000_000;

/**
 * Start-up on a store of 1 M events (one `ApiKeyCreated` per key): the time from process start
 * to `/ready` (boot plus a full rebuild of the in-memory read models, so events/s is a lower
 * bound for the rebuild itself), and the resident memory with 1 M active keys.
 */
export const rebuildMemory: Benchmark = {
  name: 'rebuild-memory',
  description: `start-up to /ready and RSS on ${KEYS.toLocaleString('en-US')} keys / events`,
  run: () =>
    withTempDir(async (dir) => {
      const seedStarted = Date.now();
      const seeded = seedEventFile(join(dir, 'events.sqlite'), KEYS, { keepPlaintexts: 0 });
      console.log(
        `(seeded ${format(seeded.events)} events in ${format((Date.now() - seedStarted) / 1000)} s)`,
      );
      const server = await startKeyledger({ DATA_DIR: dir });
      try {
        const rss = rssBytes(server.pid);
        const eventsPerSecond = seeded.events / (server.readyAfterMs / 1000);
        const rssMiB = rss / 2 ** 20;
        printTable(
          ['measure', 'value', 'goal'],
          [
            ['events in the store', seeded.events, ''],
            ['process start to /ready', `${format(server.readyAfterMs / 1000)} s`, ''],
            [
              'rebuild rate (incl. boot)',
              `${format(eventsPerSecond)} events/s`,
              '≥ 100,000 events/s',
            ],
            ['RSS with 1 M active keys', `${format(rssMiB)} MiB`, '≤ 400 MB'],
          ],
        );
        return {
          events: seeded.events,
          readyAfterMs: server.readyAfterMs,
          eventsPerSecond,
          rssBytes: rss,
        };
      } finally {
        await server.stop();
      }
    }),
};
