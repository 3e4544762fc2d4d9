import 'reflect-metadata';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/config';
import { KeyVerifier } from '../src/keys';
import {
  VERIFICATION_INDEX,
  type VerificationIndex,
} from '../src/keys/read-models/key-directory.port';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { CLOCK, type Clock } from '../src/shared/clock';
import { UsageAccumulator } from '../src/usage';
import { UsageFlusher } from '../src/usage';
import type { Benchmark } from './registry';
import { answeredInMemory } from './support/answered-in-memory';
import { seedEventFile } from './support/seed';
import { printTable } from './support/table';
import { withTempDir } from './support/temp-dir';

const KEYS = 100_000;
const KEYS_IN_USE = 10_000;
const PAIRS = 8;
const ROUND_SECONDS = 3;
/** Verifies between two yields to the event loop, so that the flusher's timer can run. */
const SLICE = 2_000;

/**
 * Issue 4's budget: counting uses must keep ≥ 90 % of verify throughput. The same read model
 * (100 k keys rebuilt from a SQLite file; 10 k, then 1 k of them in use, so that every flush
 * writes that many counters) is verified through two KeyVerifiers: one built without a usage sink, and the
 * application's, whose VALID answers go to the usage buffer. With usage on, everything it costs
 * runs on this same thread and inside the round: the flusher's timer writing to SQLite every
 * second, the usage projections reading each flush back, and a last flush at the end of the
 * round. Rounds alternate off/on so that both of a pair see the same machine load; each ratio
 * reported is the median of the pairs' ratios, by CPU time (robust on a shared machine) and by
 * wall time.
 */
export const usageOverhead: Benchmark = {
  name: 'usage-overhead',
  description:
    'verify throughput with usage recording on and off, 10,000 and 1,000 keys in use, one core',
  run: () =>
    withTempDir(async (dir) => {
      const seeded = seedEventFile(join(dir, 'events.sqlite'), KEYS, {
        keepPlaintexts: KEYS_IN_USE,
      });
      const config = { ...loadConfig({ USAGE_INSTANCE_ID: 'bench' }), dataDir: dir };
      // An in-process benchmark does not seal audit checkpoints (nor does the CLI): sealing
      // 100 k seeded events would overlap the rounds and measure the sealer instead.
      const module = AppModule.forRoot(config, { backgroundSealing: false });
      const app = await NestFactory.createApplicationContext(module, { logger: ['error', 'warn'] });
      try {
        const withUsage = app.get(KeyVerifier);
        const withoutUsage = new KeyVerifier(
          app.get<symbol, VerificationIndex>(VERIFICATION_INDEX),
          app.get<symbol, Clock>(CLOCK),
        );
        const flusher = app.get(UsageFlusher);
        const projections = app.get(ProjectionRunner);
        const writeEverything = async () => {
          const written = await flusher.flush();
          if (written) await projections.waitFor(written.position);
        };
        const requests = seeded.keys.map((key) => ({ key, requiredScopes: ['orders:read'] }));
        const compare = async (keysInUse: number): Promise<Comparison> => {
          const inUse = requests.slice(0, keysInUse);
          await measure(withoutUsage, inUse, 0.5);
          await measure(withUsage, inUse, 0.5, writeEverything);
          const off: Round[] = [];
          const on: Round[] = [];
          for (let pair = 0; pair < PAIRS; pair++) {
            off.push(await measure(withoutUsage, inUse, ROUND_SECONDS));
            on.push(await measure(withUsage, inUse, ROUND_SECONDS, writeEverything));
          }
          const ratio = (metric: keyof Round) =>
            median(on.map((round, pair) => round[metric] / off[pair][metric]));
          return { keysInUse, off, on, ratioCpu: ratio('cpu'), ratioWall: ratio('wall') };
        };
        const comparisons = [await compare(KEYS_IN_USE), await compare(KEYS_IN_USE / 10)];
        const rate = (rounds: Round[], metric: keyof Round) => median(rounds.map((r) => r[metric]));
        printTable(
          [
            'keys in use',
            'usage',
            'verifies / CPU s',
            'verifies / wall s',
            'ratio CPU',
            'ratio wall',
          ],
          comparisons.flatMap(({ keysInUse, off, on, ratioCpu, ratioWall }) => [
            [keysInUse, 'off', rate(off, 'cpu'), rate(off, 'wall'), '', ''],
            [keysInUse, 'on', rate(on, 'cpu'), rate(on, 'wall'), ratioCpu, ratioWall],
          ]),
        );
        const counters = { ...app.get(UsageAccumulator).metrics };
        console.log(
          `\nGoal: ratio ≥ 0.90. Medians over ${PAIRS} off/on pairs of ${ROUND_SECONDS} s each; uses recorded ${counters.recorded}, written ${counters.flushed} in ${counters.flushes} flushes, dropped ${counters.dropped}.`,
        );
        return { comparisons, counters };
      } finally {
        await app.close();
      }
    }),
};

interface Comparison {
  readonly keysInUse: number;
  readonly off: Round[];
  readonly on: Round[];
  readonly ratioCpu: number;
  readonly ratioWall: number;
}

interface Round {
  /** Verifications per second of wall time. */
  readonly wall: number;
  /** Verifications per second of CPU time used by this process (all its threads, GC too). */
  readonly cpu: number;
}

/**
 * Verifies for `seconds`, yielding every SLICE verifies as a server's event loop would, then
 * runs `settle` (inside the measured span): the work the round left behind is the round's cost.
 * CPU time is measured besides wall time because on a shared machine the wall clock also counts
 * the time other processes held the cores.
 */
async function measure(
  verifier: KeyVerifier,
  requests: readonly { key: string; requiredScopes: string[] }[],
  seconds: number,
  settle: () => Promise<void> = () => Promise.resolve(),
): Promise<Round> {
  let count = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < SLICE; i++, count++) {
      if (!answeredInMemory(verifier.verify(requests[count % requests.length], '*')).valid) {
        throw new Error('every request of this benchmark must verify VALID');
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await settle();
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: count / wallSeconds, cpu: count / ((cpu.user + cpu.system) / 1e6) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
