import 'reflect-metadata';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/config';
import { KeyVerifier } from '../src/keys';
import type { Benchmark } from './registry';
import { answeredInMemory } from './support/answered-in-memory';
import { seedEventFile } from './support/seed';
import { printTable } from './support/table';
import { withTempDir } from './support/temp-dir';

const KEYS = 100_000;
const SECONDS = 3;

/**
 * Verifications per second on one core through the real KeyVerifier, on the real read model
 * rebuilt from 100 k keys: checksum, SHA-256, lookup, status, scopes, rate limit (and usage
 * counting where it is wired in).
 */
export const verifyInProcess: Benchmark = {
  name: 'verify-in-process',
  description: `KeyVerifier.verify on ${KEYS.toLocaleString('en-US')} keys, one core`,
  run: () =>
    withTempDir(async (dir) => {
      const seeded = seedEventFile(join(dir, 'events.sqlite'), KEYS, {
        keepPlaintexts: 10_000,
        rateLimited: true,
      });
      const app = await NestFactory.createApplicationContext(
        AppModule.forRoot({ ...loadConfig({}), dataDir: dir }),
        { logger: false },
      );
      try {
        const verifier = app.get(KeyVerifier);
        const requests = seeded.keys.map((key) => ({
          key,
          requiredScopes: ['orders:read', 'invoices:pay'],
        }));
        const malformed = { key: 'kl_live_notakeyatall' };
        const measure = (
          label: string,
          pick: (i: number) => { key: string; requiredScopes?: string[] },
        ) => {
          for (let i = 0; i < 50_000; i++) answeredInMemory(verifier.verify(pick(i), '*')); // warm-up
          let count = 0;
          let valid = 0;
          const started = process.hrtime.bigint();
          const deadline = started + BigInt(SECONDS * 1e9);
          while (process.hrtime.bigint() < deadline) {
            for (let i = 0; i < 1000; i++, count++) {
              if (answeredInMemory(verifier.verify(pick(count), '*')).valid) valid++;
            }
          }
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          return { label, perSecond: count / seconds, validShare: valid / count };
        };
        const results = [
          measure('valid key, scopes + rate limit', (i) => requests[i % requests.length]),
          measure('malformed key (no lookup)', () => malformed),
        ];
        printTable(
          ['case', 'verifications/s', 'VALID share', 'goal'],
          results.map((r) => [
            r.label,
            r.perSecond,
            r.validShare,
            r.label.startsWith('valid') ? '≥ 300,000/s' : '',
          ]),
        );
        return results;
      } finally {
        await app.close();
      }
    }),
};
