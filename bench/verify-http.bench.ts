import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import type { Benchmark } from './registry';
import {
  runLoad,
  startAnnouncingServer,
  startKeyledger,
  type LoadResult,
  type RunningServer,
} from './support/processes';
import { seedEventFile } from './support/seed';
import { printTable, ratio } from './support/table';
import { withTempDir } from './support/temp-dir';

const KEYS = 100_000;
const CONNECTIONS = 64;
const WARMUP_SECONDS = 2;
const SECONDS = 8;
const BCRYPT_KEYS = 32;

interface Contender {
  readonly name: string;
  readonly start: () => Promise<RunningServer>;
  readonly keysFile: string;
  readonly mode: 'body' | 'header';
}

/**
 * `POST /v1/keys/verify` over HTTP at 64 connections, every contender in its own process and the
 * load generator in another, one after the other in the same run.
 */
export const verifyHttp: Benchmark = {
  name: 'verify-http',
  description: `verify over HTTP, ${KEYS.toLocaleString('en-US')} keys, ${CONNECTIONS} connections, ${SECONDS} s each`,
  run: () =>
    withTempDir(async (dir) => {
      const seeded = seedEventFile(join(dir, 'events.sqlite'), KEYS, {
        keepPlaintexts: 10_000,
        withTable: true,
      });
      const keyTable = join(dir, 'key-table.json');
      writeFileSync(
        keyTable,
        JSON.stringify({ rootKeyHash: seeded.rootKeyHash, keys: seeded.table }),
      );
      const loadKeys = join(dir, 'load-keys.json');
      writeFileSync(loadKeys, JSON.stringify({ rootKey: seeded.rootKey, keys: seeded.keys }));
      const bcryptFiles = await bcryptTables(dir);

      const keyledger = (platform: string) => () =>
        startKeyledger({ DATA_DIR: dir, HTTP_PLATFORM: platform });
      const contenders: Contender[] = [
        {
          name: 'node:http floor',
          start: () => startAnnouncingServer('bench/servers/floor-node-http.js', [keyTable]),
          keysFile: loadKeys,
          mode: 'body',
        },
        {
          name: 'bare Express handler',
          start: () => startAnnouncingServer('bench/servers/floor-express.js', [keyTable]),
          keysFile: loadKeys,
          mode: 'body',
        },
        {
          name: 'Keyledger on Fastify',
          start: keyledger('fastify'),
          keysFile: loadKeys,
          mode: 'body',
        },
        {
          name: 'Keyledger on Express',
          start: keyledger('express'),
          keysFile: loadKeys,
          mode: 'body',
        },
        {
          name: 'NestJS + passport-headerapikey + bcrypt',
          start: () =>
            startAnnouncingServer('bench/servers/passport-bcrypt.js', [bcryptFiles.table]),
          keysFile: bcryptFiles.load,
          mode: 'header',
        },
      ];
      const results: Record<string, LoadResult> = {};
      for (const contender of contenders) {
        const server = await contender.start();
        try {
          const url = `http://127.0.0.1:${server.port}/v1/keys/verify`;
          await runLoad(url, contender.keysFile, WARMUP_SECONDS, CONNECTIONS, contender.mode);
          results[contender.name] = await runLoad(
            url,
            contender.keysFile,
            SECONDS,
            CONNECTIONS,
            contender.mode,
          );
        } finally {
          await server.stop();
        }
      }
      const floor = results['node:http floor'].requestsPerSecond;
      printTable(
        ['contender', 'requests/s', 'p50 ms', 'p99 ms', 'vs node:http floor', 'non-2xx'],
        Object.entries(results).map(([name, r]) => [
          name,
          r.requestsPerSecond,
          r.p50,
          r.p99,
          ratio(r.requestsPerSecond, floor),
          r.non2xx,
        ]),
      );
      const rps = (name: string) => results[name].requestsPerSecond;
      const goals = [
        [
          'Fastify ≥ 60 % of node:http floor',
          ratio(rps('Keyledger on Fastify'), floor),
          rps('Keyledger on Fastify') >= 0.6 * floor,
        ],
        [
          'Express ≥ 85 % of bare Express',
          ratio(rps('Keyledger on Express'), rps('bare Express handler')),
          rps('Keyledger on Express') >= 0.85 * rps('bare Express handler'),
        ],
        [
          'p99 < 10 ms (Fastify / Express)',
          `${results['Keyledger on Fastify'].p99} / ${results['Keyledger on Express'].p99} ms`,
          Math.max(results['Keyledger on Fastify'].p99, results['Keyledger on Express'].p99) < 10,
        ],
        [
          '≥ 20× passport + bcrypt (Express)',
          ratio(rps('Keyledger on Express'), rps('NestJS + passport-headerapikey + bcrypt')),
          rps('Keyledger on Express') >= 20 * rps('NestJS + passport-headerapikey + bcrypt'),
        ],
      ] as const;
      console.log();
      printTable(
        ['goal', 'measured', 'met'],
        goals.map(([goal, measured, met]) => [goal, measured, met ? 'yes' : 'NO']),
      );
      return { results, goals: goals.map(([goal, measured, met]) => ({ goal, measured, met })) };
    }),
};

/** The bcrypt contender's table: 100 k ids, real cost-10 hashes for the keys the load uses. */
async function bcryptTables(dir: string): Promise<{ table: string; load: string }> {
  const live = await Promise.all(
    Array.from({ length: BCRYPT_KEYS }, async () => {
      const keyId = randomUUID();
      const secret = randomBytes(24).toString('base64url');
      return { keyId, key: `${keyId}.${secret}`, bcryptHash: await bcrypt.hash(secret, 10) };
    }),
  );
  const filler = Array.from({ length: KEYS - BCRYPT_KEYS }, () => ({
    keyId: randomUUID(),
    bcryptHash: live[0].bcryptHash,
  }));
  const table = join(dir, 'bcrypt-table.json');
  writeFileSync(
    table,
    JSON.stringify({
      keys: [...live.map(({ keyId, bcryptHash }) => ({ keyId, bcryptHash })), ...filler],
    }),
  );
  const load = join(dir, 'bcrypt-load.json');
  writeFileSync(load, JSON.stringify({ rootKey: '', keys: live.map((k) => k.key) }));
  return { table, load };
}
