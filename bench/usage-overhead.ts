import 'reflect-metadata';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/config';
import { KeyVerifier } from '../src/keys/verification/key-verifier';
import { VERIFICATION_INDEX, type VerificationIndex } from '../src/read-models/key-directory.port';
import { CLOCK, type Clock } from '../src/shared/clock';
import { UsageAccumulator } from '../src/usage/accumulator/usage-accumulator';
import type { Benchmark } from './registry';
import { seedEventFile } from './support/seed';
import { printTable } from './support/table';
import { withTempDir } from './support/temp-dir';

const KEYS = 100_000;
const KEYS_IN_USE = 10_000;
const ROUNDS = 5;
const ROUND_SECONDS = 2;
/** Verifies between two yields to the event loop, so that the flusher's timer can run. */
const SLICE = 2_000;

interface Round {
  readonly perSecond: number;
}

/**
 * Issue 4's budget: counting uses must keep ≥ 90 % of verify throughput. The same read model
 * (100 k keys rebuilt from a SQLite file, 10 k of them in use) is verified through two
 * KeyVerifiers: the application's, whose VALID answers go to the usage buffer that the flusher
 * writes to SQLite every second, on this same thread; and one built without a usage sink.
 * Rounds alternate, off then on, so that drift in the machine's load hits both alike; the
 * ratio is of the medians.
 */
export const usageOverhead: Benchmark = {
  name: 'usage-overhead',
  description: `verify throughput with usage recording on and off, ${KEYS_IN_USE.toLocaleString('en-US')} keys in use, one core`,
  run: () =>
    withTempDir(async (dir) => {
      const seeded = seedEventFile(join(dir, 'events.sqlite'), KEYS, {
        keepPlaintexts: KEYS_IN_USE,
      });
      const config = { ...loadConfig({ USAGE_INSTANCE_ID: 'bench' }), dataDir: dir };
      const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
        logger: ['error', 'warn'],
      });
      try {
        const withUsage = app.get(KeyVerifier);
        const withoutUsage = new KeyVerifier(
          app.get<symbol, VerificationIndex>(VERIFICATION_INDEX),
          app.get<symbol, Clock>(CLOCK),
        );
        const requests = seeded.keys.map((key) => ({ key, requiredScopes: ['orders:read'] }));
        const off: Round[] = [];
        const on: Round[] = [];
        await measure(withoutUsage, requests, 0.5);
        await measure(withUsage, requests, 0.5);
        for (let round = 0; round < ROUNDS; round++) {
          off.push(await measure(withoutUsage, requests, ROUND_SECONDS));
          on.push(await measure(withUsage, requests, ROUND_SECONDS));
        }
        const counters = app.get(UsageAccumulator).counters;
        const offRate = median(off.map((r) => r.perSecond));
        const onRate = median(on.map((r) => r.perSecond));
        const ratio = onRate / offRate;
        printTable(
          ['usage recording', 'verifications/s (median of 5)', 'rounds', 'ratio', 'goal'],
          [
            ['off', offRate, off.map((r) => Math.round(r.perSecond)).join(' '), '', ''],
            ['on', onRate, on.map((r) => Math.round(r.perSecond)).join(' '), ratio, '≥ 0.90'],
          ],
        );
        console.log(
          `\nuses recorded ${counters.recorded}, written ${counters.flushed} in ${counters.flushes} flushes, dropped ${counters.dropped}`,
        );
        return { offPerSecond: offRate, onPerSecond: onRate, ratio, counters: { ...counters } };
      } finally {
        await app.close();
      }
    }),
};

/** Verifies for `seconds`, yielding every SLICE verifies as a server's event loop would. */
async function measure(
  verifier: KeyVerifier,
  requests: readonly { key: string; requiredScopes: string[] }[],
  seconds: number,
): Promise<Round> {
  let count = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < SLICE; i++, count++) {
      if (!verifier.verify(requests[count % requests.length], '*').valid) {
        throw new Error('every request of this benchmark must verify VALID');
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { perSecond: count / (Number(process.hrtime.bigint() - started) / 1e9) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
