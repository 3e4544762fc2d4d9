import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark } from './registry';
import type { InProcessRebuild } from './rebuild-memory.in-process';
import { cpuSeconds, DIST, rssBytes, startKeyledger } from './support/processes';
import { sealSeededStore } from './support/seal';
import { seedEventFile } from './support/seed';
import { format, printTable } from './support/table';
import { withTempDir } from './support/temp-dir';

const KEYS = 1_000_000;
const MiB = 2 ** 20;

/**
 * Start-up on a store of 1 M events (one `ApiKeyCreated` per key), sealed in checkpoints as the
 * server seals a store in operation: the time from process start to `/ready` (boot plus a full
 * rebuild of the in-memory read models) and the resident memory with 1 M active keys, next to a
 * start on an empty store in the same run (boot alone, and the memory of a server with no keys).
 * A second process builds the same application without HTTP, collects garbage and reports heap
 * and array buffers against RSS.
 */
export const rebuildMemory: Benchmark = {
  name: 'rebuild-memory',
  description: `start-up to /ready and RSS on ${KEYS.toLocaleString('en-US')} keys / events`,
  run: () =>
    withTempDir(async (dir) => {
      const full = join(dir, 'full');
      const empty = join(dir, 'empty');
      mkdirSync(full);
      mkdirSync(empty);
      let started = Date.now();
      const seeded = seedEventFile(join(full, 'events.sqlite'), KEYS, { keepPlaintexts: 0 });
      const seedSeconds = (Date.now() - started) / 1000;
      started = Date.now();
      const { checkpoints } = await sealSeededStore(full);
      const sealSeconds = (Date.now() - started) / 1000;
      console.log(
        `(seeded ${format(seeded.events)} events in ${format(seedSeconds)} s, sealed them in ${format(checkpoints)} checkpoints in ${format(sealSeconds)} s)`,
      );

      const bare = await measureStart(empty);
      const loaded = await measureStart(full);
      const inProcess = await rebuildInProcess(full);

      const rebuildMs = loaded.readyAfterMs - bare.readyAfterMs;
      const keysRss = loaded.rssBytes - bare.rssBytes;
      const { before, after } = inProcess;
      printTable(
        ['measure', '1 M events', 'empty store', 'goal'],
        [
          ['process start to /ready', seconds(loaded.readyAfterMs), seconds(bare.readyAfterMs), ''],
          [
            'rebuild rate, incl. boot',
            `${format(seeded.events / (loaded.readyAfterMs / 1000))} events/s`,
            '',
            '≥ 100,000 events/s',
          ],
          [
            'rebuild rate, boot (empty start) excluded',
            `${format(seeded.events / (rebuildMs / 1000))} events/s`,
            '',
            '',
          ],
          [
            'server CPU to /ready',
            `${format(loaded.cpuSeconds)} s = ${format(seeded.events / loaded.cpuSeconds)} events per CPU s`,
            `${format(bare.cpuSeconds)} s`,
            '',
          ],
          [
            'RSS at /ready',
            `${megabytes(loaded.rssBytes)}`,
            `${megabytes(bare.rssBytes)}`,
            '≤ 400 MB',
          ],
          ['RSS for the keys (difference)', megabytes(keysRss), '', ''],
          [
            'in-process build: wall / CPU',
            `${seconds(inProcess.buildMs)} / ${seconds(inProcess.buildCpuMs)}`,
            '',
            '',
          ],
          [
            'in-process, after GC: heap used',
            megabytes(after.heapUsedBytes),
            `${megabytes(before.heapUsedBytes)} (before the build)`,
            '',
          ],
          [
            'in-process, after GC: array buffers',
            megabytes(after.arrayBuffersBytes),
            megabytes(before.arrayBuffersBytes),
            '',
          ],
          ['in-process, after GC: RSS', megabytes(after.rssBytes), megabytes(before.rssBytes), ''],
        ],
      );
      return {
        events: seeded.events,
        readyAfterMs: loaded.readyAfterMs,
        emptyReadyAfterMs: bare.readyAfterMs,
        cpuSeconds: loaded.cpuSeconds,
        emptyCpuSeconds: bare.cpuSeconds,
        eventsPerSecond: seeded.events / (loaded.readyAfterMs / 1000),
        eventsPerSecondExcludingBoot: seeded.events / (rebuildMs / 1000),
        rssBytes: loaded.rssBytes,
        emptyRssBytes: bare.rssBytes,
        inProcess,
      };
    }),
};

/** Starts the server on `dataDir`, waits for /ready, reads its RSS and stops it. */
interface MeasuredStart {
  readonly readyAfterMs: number;
  /** CPU the server used up to /ready: steadier than wall time on a shared machine. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
}

async function measureStart(dataDir: string): Promise<MeasuredStart> {
  const server = await startKeyledger({ DATA_DIR: dataDir });
  try {
    return {
      readyAfterMs: server.readyAfterMs,
      cpuSeconds: cpuSeconds(server.pid),
      rssBytes: rssBytes(server.pid),
    };
  } finally {
    await server.stop();
  }
}

function rebuildInProcess(dataDir: string): Promise<InProcessRebuild> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', join(DIST, 'bench', 'rebuild-memory.in-process.js'), dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`in-process rebuild exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as InProcessRebuild);
    });
  });
}

const seconds = (ms: number): string => `${format(ms / 1000)} s`;

/** MiB, and MB in brackets: the goal is stated in MB. */
const megabytes = (bytes: number): string =>
  `${format(bytes / MiB)} MiB (${format(bytes / 1e6)} MB)`;
