import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createCli } from '../../src/cli/program';
import { createHttpApp } from '../../src/http-app';
import { parseKey } from '../../src/shared/key-format';
import { testConfig } from '../support/test-app';

/** Runs one CLI invocation in-process against `dataDir` and returns what it printed. */
async function cli(dataDir: string, ...args: string[]): Promise<string> {
  let out = '';
  const program = createCli({ env: { DATA_DIR: dataDir }, write: (text) => (out += text) });
  await program.parseAsync(['node', 'keyledger', ...args]);
  return out;
}

async function eventually<T>(
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('keyledger CLI', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'keyledger-cli-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates a root key that a server on the same data directory accepts, even one already running', async () => {
    const app = await createHttpApp({ ...testConfig(), dataDir }, {}, { logger: false });
    try {
      const rootKey = (
        await cli(dataDir, 'root-key', 'create', '--name', 'admin', '--abilities', '*', '--quiet')
      ).trim();
      expect(parseKey(rootKey)).toEqual({ family: 'root' });

      const response = await eventually(
        () =>
          request(app.getHttpServer())
            .post('/v1/tenants')
            .set('Authorization', `Bearer ${rootKey}`)
            .send({ tenantId: 'acme', name: 'Acme' }),
        (r) => r.status !== 401,
      );
      expect(response.status).toBe(201);

      const created = await request(app.getHttpServer())
        .post('/v1/tenants/acme/keys')
        .set('X-API-Key', rootKey)
        .send({ name: 'checkout' });
      expect(created.status).toBe(201);

      const listed = JSON.parse(
        await cli(dataDir, 'keys', 'list', '--tenant', 'acme', '--json'),
      ) as { id: string }[];
      expect(listed.map((k) => k.id)).toEqual([created.body.id]);
    } finally {
      await app.close();
    }
  });

  it('prints the root key once with its id, and refuses a bad tenant id with a clear error', async () => {
    const printed = await cli(
      dataDir,
      'root-key',
      'create',
      '--name',
      'ops',
      '--abilities',
      'keys:read,keys:verify',
    );
    expect(printed).toMatch(
      /Root key [0-9a-f-]{36} created \(abilities: keys:read,keys:verify; tenants: \*\)/,
    );
    expect(printed).toMatch(/\nklr_[0-9A-Za-z]{36}\n$/);

    await expect(cli(dataDir, 'tenants', 'create', 'A!', '--name', 'Bad')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'tenantId' })],
    });
    expect(await cli(dataDir, 'tenants', 'create', 'acme', '--name', 'Acme')).toBe(
      'Tenant acme created (key prefix: kl).\n',
    );
    expect(await cli(dataDir, 'keys', 'list', '--tenant', 'acme')).toBe('No keys.\n');
  });
});
