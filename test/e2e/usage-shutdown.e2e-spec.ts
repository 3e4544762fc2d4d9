import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyStreamChain } from '../../src/event-store/hash-chain';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.adapter';
import { ManualClock } from '../../src/shared/clock';
import { CompiledApp } from '../support/compiled-app';
import { ServerProcess } from '../support/server-process';
import { TestApp } from '../support/test-app';
import { storedUses, total } from '../support/usage-app';

/** The real process, stopped by a signal: SIGTERM flushes, SIGKILL loses one interval at most. */
describe('Usage in a server process stopped by SIGTERM or killed by SIGKILL', () => {
  let app: CompiledApp;
  let dataDir: string;
  let rootKey: string;
  let server: ServerProcess | undefined;

  const usesOnDisk = async () => {
    const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
    try {
      return total(await storedUses(store));
    } finally {
      await store.close();
    }
  };

  /** A tenant, a key and `count` VALID verifies of it; returns the key id. */
  async function use(running: ServerProcess, count: number, keyId?: string, key?: string) {
    let id = keyId;
    let plaintext = key;
    if (!id || !plaintext) {
      await running.request('POST', '/v1/tenants', rootKey, { tenantId: 'acme', name: 'Acme' });
      const created = (await running.request('POST', '/v1/tenants/acme/keys', rootKey, {
        name: 'k',
      })) as { id: string; key: string };
      [id, plaintext] = [created.id, created.key];
    }
    for (let i = 0; i < count; i++) {
      const answer = (await running.request('POST', '/v1/keys/verify', rootKey, {
        key: plaintext,
      })) as { valid: boolean };
      if (!answer.valid) throw new Error('expected a VALID verify');
    }
    return { id, key: plaintext };
  }

  beforeAll(() => {
    app = CompiledApp.build();
  });
  afterAll(() => app.remove());

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'keyledger-usage-proc-'));
    rootKey = execFileSync(
      'node',
      [app.cli, 'root-key', 'create', '--name', 'admin', '--abilities', '*', '--quiet'],
      {
        env: { ...process.env, DATA_DIR: dataDir },
        encoding: 'utf8',
      },
    ).trim();
  });
  afterEach(async () => {
    await server?.stop('SIGKILL');
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGTERM writes every use before the process exits', async () => {
    const env = { DATA_DIR: dataDir, USAGE_FLUSH_INTERVAL_MS: '60000', USAGE_INSTANCE_ID: 'proc' };
    server = await ServerProcess.start(app, env);
    await use(server, 60);
    expect(await usesOnDisk()).toBe(0);
    const exit = await server.stop('SIGTERM');
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    expect(await usesOnDisk()).toBe(60);
    expect(server.log()).not.toMatch(/could not be written|flush failed/i);
  }, 60_000);

  it('SIGKILL loses only what was used since the last flush; a restart shows what was written', async () => {
    const env = { DATA_DIR: dataDir, USAGE_FLUSH_INTERVAL_MS: '100', USAGE_INSTANCE_ID: 'proc' };
    server = await ServerProcess.start(app, env);
    const key = await use(server, 40);
    // The timer, not a shutdown, writes these: the process is still running.
    let onDisk = await usesOnDisk();
    for (const deadline = Date.now() + 10_000; onDisk < 40 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      onDisk = await usesOnDisk();
    }
    expect(onDisk).toBe(40);
    await use(server, 30, key.id, key.key);
    const exit = await server.stop('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    server = undefined;
    const afterKill = await usesOnDisk();
    expect(afterKill).toBeGreaterThanOrEqual(40);
    expect(afterKill).toBeLessThanOrEqual(70);

    const clock = new ManualClock(new Date());
    const restarted = await TestApp.start({ dataDir, clock, admin: { id: 'cli', key: rootKey } });
    try {
      const res = await restarted.as().get('/v1/tenants/acme/usage?granularity=day');
      expect(res.body).toMatchObject({ totals: { uses: afterKill } });
      const streams = new Set((await restarted.allEvents()).map((e) => e.stream));
      for (const stream of [...streams].filter((s) => s.startsWith('usage-proc-'))) {
        expect(verifyStreamChain(await restarted.readStream(stream)).ok).toBe(true);
      }
    } finally {
      await restarted.close();
    }
  }, 60_000);
});
