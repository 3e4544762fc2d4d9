/**
 * The verify-http contenders, each to be started in its own process: the floors and Keyledger on
 * one seeded set of keys, the passport + bcrypt guard on its own table.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { startAnnouncingServer, startKeyledger, type RunningServer } from './support/processes';
import { sealSeededStore } from './support/seal';
import { seedEventFile } from './support/seed';

export const BCRYPT = 'NestJS + passport-headerapikey + bcrypt';
const BCRYPT_KEYS = 32;

export interface Contender {
  readonly name: string;
  readonly start: () => Promise<RunningServer>;
  readonly keysFile: string;
  readonly mode: 'body' | 'header';
  /** Instead of the benchmark's 64; see the bcrypt contender. */
  readonly connections?: number;
}

/** Seeds `keys` API keys into `dir` and describes every contender (none started yet). */
export async function prepareContenders(dir: string, keys: number): Promise<Contender[]> {
  const seeded = seedEventFile(join(dir, 'events.sqlite'), keys, {
    keepPlaintexts: 10_000,
    withTable: true,
  });
  // Sealed in checkpoints, as a store in operation is: otherwise each Keyledger would spend its
  // first seconds under load sealing the whole seeded history on the thread that answers.
  await sealSeededStore(dir);
  const keyTable = join(dir, 'key-table.json');
  writeFileSync(keyTable, JSON.stringify({ rootKeyHash: seeded.rootKeyHash, keys: seeded.table }));
  const loadKeys = join(dir, 'load-keys.json');
  writeFileSync(loadKeys, JSON.stringify({ rootKey: seeded.rootKey, keys: seeded.keys }));
  const bcryptFiles = await bcryptTables(dir, keys);

  const floor = (name: string, script: string): Contender => ({
    name,
    start: () => startAnnouncingServer(`bench/servers/${script}`, [keyTable]),
    keysFile: loadKeys,
    mode: 'body',
  });
  // Both Keyledgers run at once, each on its own copy of the seeded store.
  const keyledger = (name: string, platform: string): Contender => {
    const dataDir = join(dir, platform);
    mkdirSync(dataDir);
    for (const file of ['events.sqlite', 'audit-signing-key.pem', 'audit-signing-key.pub.pem']) {
      copyFileSync(join(dir, file), join(dataDir, file));
    }
    return {
      name,
      start: () => startKeyledger({ DATA_DIR: dataDir, HTTP_PLATFORM: platform }),
      keysFile: loadKeys,
      mode: 'body',
    };
  };
  return [
    floor('node:http floor', 'floor-node-http.js'),
    floor('bare Express handler', 'floor-express.js'),
    floor('bare Fastify handler', 'floor-fastify.js'),
    keyledger('Keyledger on Fastify', 'fastify'),
    keyledger('Keyledger on Express', 'express'),
    {
      name: BCRYPT,
      start: () => startAnnouncingServer('bench/servers/passport-bcrypt.js', [bcryptFiles.table]),
      keysFile: bcryptFiles.load,
      mode: 'header',
      // bcryptjs compares in slices that interleave: 64 at once all finish together, some 20 s
      // later on this machine, so a window of a few seconds sees none or 64. One at a time it
      // is just as CPU-bound (same throughput), and a window counts them one by one.
      connections: 1,
    },
  ];
}

/** The bcrypt contender's table: 100 k ids, real cost-10 hashes for the keys the load uses. */
async function bcryptTables(dir: string, keys: number): Promise<{ table: string; load: string }> {
  const live = await Promise.all(
    Array.from({ length: BCRYPT_KEYS }, async () => {
      const keyId = randomUUID();
      const secret = randomBytes(24).toString('base64url');
      return { keyId, key: `${keyId}.${secret}`, bcryptHash: await bcrypt.hash(secret, 10) };
    }),
  );
  const filler = Array.from({ length: keys - BCRYPT_KEYS }, () => ({
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
