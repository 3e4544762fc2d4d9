import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyStreamChain } from '../../src/event-store/hash-chain';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { ManualClock } from '../../src/shared/clock';
import { CapturingLogger } from '../support/capturing-logger';
import { sha256, UUID } from '../support/http-expectations';
import {
  expectStatus,
  TestApp,
  USER_AGENT,
  type Credential,
  type KeyView,
  type RotatedKeyBody,
} from '../support/test-app';

const HOUR_MS = 3_600_000;
const SQLITE_FILES = ['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm'];

/** What a client can observe of the read model: every key of each tenant, listed and fetched. */
async function snapshot(t: TestApp, tenants: readonly string[]) {
  const view: Record<string, unknown> = {};
  for (const tenantId of tenants) {
    const tenant = await t.as().get(`/v1/tenants/${tenantId}`);
    const list = await t.as().get(`/v1/tenants/${tenantId}/keys?limit=100`);
    expectStatus(tenant, 200);
    expectStatus(list, 200);
    const items = (list.body as { items: KeyView[] }).items;
    const byId: Record<string, unknown> = {};
    for (const { id } of items)
      byId[id] = (await t.as().get(`/v1/tenants/${tenantId}/keys/${id}`)).body;
    view[tenantId] = { tenant: tenant.body, list: list.body, byId };
  }
  return view;
}

/** The bytes of every SQLite file of the data directory, as latin1 text for searching. */
function sqliteBytes(dataDir: string): string {
  return SQLITE_FILES.map((name) => join(dataDir, name))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString('latin1'))
    .join('\n');
}

describe('Restart on the same data directory, and secrets at rest', () => {
  const clock = new ManualClock();
  const logger = new CapturingLogger();
  const plaintexts: string[] = [];
  let dataDir: string;
  let first: TestApp;
  let second: TestApp;
  let admin: Credential;
  let ops: Credential;
  const keys: Record<string, string> = {};
  let rotated: RotatedKeyBody;
  let before: Record<string, unknown>;
  let bytesWhileRunning: string;
  let bytesAfterClose: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'keyledger-e2e-'));
    first = await TestApp.start({ dataDir, clock, logger });
    admin = first.admin;
    ops = await first.rootKey(['keys:*', 'tenants:read']);
    await first.createTenant('acme');
    await first.createTenant('globex', 'gx');
    const make = async (label: string, tenantId: string, body: Record<string, unknown>) => {
      const created = await first.createKey(tenantId, { name: label, ...body });
      keys[label] = created.id;
      plaintexts.push(created.key);
      return created;
    };
    await make('plain', 'acme', { scopes: ['orders:read'] });
    await make('browser', 'acme', {
      kind: 'publishable',
      environment: 'test',
      allowedOrigins: ['https://a.example'],
    });
    await make('expiring', 'globex', {
      expiresAt: new Date(clock.now().getTime() + 10 * HOUR_MS).toISOString(),
    });
    const doomed = await make('doomed', 'acme', {});
    const old = await make('old', 'globex', { scopes: ['*:read'], metadata: { v: 1 } });
    clock.advance(60_000);
    expectStatus(
      await first.as().patch(`/v1/tenants/acme/keys/${keys.plain}`, {
        name: 'renamed',
        metadata: { plan: 'pro' },
      }),
      200,
    );
    const res = await first
      .as()
      .post(`/v1/tenants/globex/keys/${old.id}/rotate`, { gracePeriodSeconds: 7200 });
    expectStatus(res, 201);
    rotated = res.body as RotatedKeyBody;
    plaintexts.push(rotated.key);
    expectStatus(
      await first.as(ops.key).delete(`/v1/tenants/acme/keys/${doomed.id}`, { reason: 'gone' }),
      200,
    );
    plaintexts.push(admin.key, ops.key);

    before = await snapshot(first, ['acme', 'globex']);
    bytesWhileRunning = sqliteBytes(dataDir);
    await first.close();
    bytesAfterClose = sqliteBytes(dataDir);
    second = await TestApp.start({ dataDir, clock, logger, admin });
  });

  afterAll(async () => {
    await second?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers exactly as before the restart', async () => {
    expect(await snapshot(second, ['acme', 'globex'])).toEqual(before);
    expect(Object.keys((before.acme as { byId: object }).byId)).toHaveLength(3);
  });

  it('keeps a revoked key REVOKED and a rotated key valid until its grace end, then EXPIRED', async () => {
    const [plain, browser, expiring, doomed, old] = plaintexts;
    expect(await second.verify(doomed)).toMatchObject({ code: 'REVOKED', keyId: keys.doomed });
    expect(await second.verify(plain)).toMatchObject({ code: 'VALID', keyId: keys.plain });
    expect(await second.verify(browser, { origin: 'https://a.example' })).toMatchObject({
      code: 'VALID',
    });
    expect(await second.verify(expiring)).toMatchObject({ code: 'VALID' });
    expect(await second.verify(rotated.key)).toMatchObject({ code: 'VALID', keyId: rotated.id });
    const previous = await second.as().get(`/v1/tenants/globex/keys/${keys.old}`);
    expect(previous.body).toMatchObject({
      rotatedTo: rotated.id,
      graceEndsAt: rotated.previous.graceEndsAt,
    });
    expect(await second.verify(old)).toMatchObject({ code: 'VALID', keyId: keys.old });
    clock.set(rotated.previous.graceEndsAt as string);
    expect(await second.verify(old)).toMatchObject({ code: 'EXPIRED', keyId: keys.old });
    expect(await second.verify(rotated.key)).toMatchObject({ code: 'VALID' });
    expect(await second.verify(admin.key)).toMatchObject({ code: 'NOT_FOUND' });
    const after = await second.as(ops.key).get('/v1/tenants/acme/keys');
    expectStatus(after, 200);
  });

  it('stores no plaintext key in any SQLite file, only its SHA-256', () => {
    expect(plaintexts).toHaveLength(8);
    expect(bytesWhileRunning.length).toBeGreaterThan(0);
    expect(bytesAfterClose.length).toBeGreaterThan(0);
    for (const bytes of [bytesWhileRunning, bytesAfterClose, sqliteBytes(dataDir)]) {
      for (const key of plaintexts) expect(bytes.includes(key)).toBe(false);
    }
    const everything = bytesWhileRunning + bytesAfterClose;
    for (const key of plaintexts)
      expect({ key, stored: everything.includes(sha256(key)) }).toEqual({ key, stored: true });
  });

  it('logs no plaintext key', () => {
    expect(logger.text()).toMatch(/Read models caught up/);
    for (const key of plaintexts) expect(logger.text().includes(key)).toBe(false);
  });

  describe('the events', () => {
    let events: RecordedEvent[];
    beforeAll(async () => {
      events = await second.allEvents();
    });

    it('hold the SHA-256 of every key, never the key', () => {
      const text = JSON.stringify(
        events.map(({ stream, type, data, metadata }) => [stream, type, data, metadata]),
      );
      const hashes = events.map((e) => (e.data as { keyHash?: string }).keyHash).filter(Boolean);
      for (const key of plaintexts) {
        expect(text.includes(key)).toBe(false);
        expect(hashes).toContain(sha256(key));
      }
    });

    it('form a valid hash chain in every stream', async () => {
      const streams = [...new Set(events.map((e) => e.stream))];
      expect(streams.length).toBeGreaterThanOrEqual(10);
      for (const stream of streams) {
        expect(stream).toMatch(/^(?:apikey-|rootkey-)[0-9a-f-]{36}$|^tenant-[a-z0-9-]+$/);
        expect({ stream, check: verifyStreamChain(await second.readStream(stream)) }).toEqual({
          stream,
          check: { ok: true, lastHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
        });
      }
    });

    it('carry who, from where and when: the admin root key over HTTP, the CLI for the first key', () => {
      const bootstrap = events.filter((e) => e.stream === `rootkey-${admin.id}`);
      expect(bootstrap.map((e) => e.metadata.actor)).toEqual([{ type: 'cli', id: 'test' }]);
      const rest = events.filter((e) => e.stream !== `rootkey-${admin.id}`);
      expect(rest.length).toBeGreaterThanOrEqual(13);
      for (const { stream, revision, type, metadata } of rest) {
        const expectedActor = type === 'ApiKeyRevoked' ? ops.id : admin.id;
        expect({ stream, revision, type, metadata }).toEqual({
          stream,
          revision,
          type,
          metadata: expect.objectContaining({
            schemaVersion: 1,
            actor: { type: 'root-key', id: expectedActor },
            requestId: expect.stringMatching(UUID),
            ip: expect.stringMatching(/127\.0\.0\.1|::1/),
            userAgent: USER_AGENT,
            occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          }),
        });
      }
    });
  });
});
