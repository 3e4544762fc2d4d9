import request from 'supertest';
import type { ExportedEvent } from '../../src/audit/export/export-format';
import { expectError } from '../support/http-expectations';
import { httpExport, parseLines, publicKeys, sealAll, verifyText } from '../support/audit-export';
import { expectStatus, TestApp, USER_AGENT, type CreatedKey } from '../support/test-app';

interface AuditPage {
  readonly items: ExportedEvent[];
  readonly nextAfter: string | null;
}

describe('audit queries: key history, the tenant audit log, public keys', () => {
  let t: TestApp;
  let key: CreatedKey;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createTenant('acme');
    await t.createTenant('globex');
    key = await t.createKey('acme', { name: 'audited' });
    await t.createKey('globex');
    t.clock.advance(60_000);
    const res = await t
      .as()
      .patch(`/v1/tenants/acme/keys/${key.id}`, { name: 'renamed' })
      .set('X-Request-Id', 'req-rename-1');
    expectStatus(res, 200);
    for (let i = 0; i < 5; i++) await t.createKey('acme', { name: `filler ${i}` });
    t.clock.advance(60_000);
    expectStatus(
      await t.as().delete(`/v1/tenants/acme/keys/${key.id}`, { reason: 'rotated out' }),
      200,
    );
  });
  afterAll(() => t.close());

  it("answers a key's history, each event with who, from where, when and which request", async () => {
    const res = await t.as().get(`/v1/tenants/acme/keys/${key.id}/history`);
    expectStatus(res, 200);
    const body = res.body as { keyId: string; events: ExportedEvent[] };
    expect(body.keyId).toBe(key.id);
    expect(body.events.map((e) => e.type)).toEqual([
      'ApiKeyCreated',
      'ApiKeyRenamed',
      'ApiKeyRevoked',
    ]);
    expect(body.events.map((e) => e.revision)).toEqual(['0', '1', '2']);
    for (const event of body.events) {
      expect(event.metadata).toMatchObject({
        actor: { type: 'root-key', id: t.admin.id },
        requestId: expect.any(String),
        ip: expect.stringMatching(/127\.0\.0\.1/),
        userAgent: USER_AGENT,
        occurredAt: expect.any(String),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    }
    expect(body.events[1].metadata.requestId).toBe('req-rename-1');
    expect(JSON.stringify(body)).not.toContain(key.key);
  });

  it('never takes the actor or the request context from a payload', async () => {
    const before = await t.countEvents();
    const res = await t.as().patch(`/v1/tenants/acme/keys/${key.id}`, {
      name: 'x',
      actor: { type: 'system', id: 'forged' },
    });
    expect(expectError(res, 400, 'VALIDATION_FAILED').details).toEqual([
      expect.objectContaining({ field: 'actor' }),
    ]);
    expect(await t.countEvents()).toBe(before);
  });

  it('refuses the history without audit:read, and hides other tenants and their keys', async () => {
    const reader = await t.rootKey(['keys:read']);
    expectError(
      await t.as(reader.key).get(`/v1/tenants/acme/keys/${key.id}/history`),
      403,
      'FORBIDDEN',
    );
    const globexAuditor = await t.rootKey(['audit:read'], ['globex']);
    expectError(
      await t.as(globexAuditor.key).get(`/v1/tenants/acme/keys/${key.id}/history`),
      404,
      'NOT_FOUND',
    );
    expectError(await t.as(globexAuditor.key).get('/v1/tenants/acme/audit'), 404, 'NOT_FOUND');
    expectError(await t.as().get(`/v1/tenants/globex/keys/${key.id}/history`), 404, 'NOT_FOUND');
  });

  it("lists the tenant's audit events in global order, paged by position, filtered by type, key and time", async () => {
    const all = (await t.allEvents()).filter(
      (e) =>
        e.stream === 'tenant-acme' ||
        (e.stream.startsWith('apikey-') && e.data.tenantId === 'acme'),
    );
    const pages: ExportedEvent[] = [];
    let after: string | null = null;
    do {
      const res = await t
        .as()
        .get(`/v1/tenants/acme/audit?limit=3${after ? `&after=${after}` : ''}`);
      expectStatus(res, 200);
      const page = res.body as AuditPage;
      expect(page.items.length).toBeLessThanOrEqual(3);
      pages.push(...page.items);
      after = page.nextAfter;
    } while (after);
    expect(pages.map((e) => e.id)).toEqual(all.map((e) => e.id));

    const revoked = (await t.as().get('/v1/tenants/acme/audit?type=ApiKeyRevoked'))
      .body as AuditPage;
    expect(revoked.items.map((e) => e.data.keyId)).toEqual([key.id]);
    const ofKey = (await t.as().get(`/v1/tenants/acme/audit?keyId=${key.id}`)).body as AuditPage;
    expect(ofKey.items.map((e) => e.type)).toEqual([
      'ApiKeyCreated',
      'ApiKeyRenamed',
      'ApiKeyRevoked',
    ]);
    const start = Date.parse(all[0].metadata.occurredAt);
    const window = `from=${new Date(start + 60_000).toISOString()}&to=${new Date(start + 120_000).toISOString()}`;
    const middle = (await t.as().get(`/v1/tenants/acme/audit?${window}`)).body as AuditPage;
    expect(middle.items.map((e) => e.type)).toEqual([
      'ApiKeyRenamed',
      ...Array(5).fill('ApiKeyCreated'),
    ]);
  });

  it('refuses bad audit queries with the fields named', async () => {
    for (const query of [
      'after=abc',
      'limit=0',
      'limit=101',
      'from=yesterday',
      'keyId=nope',
      'type=a b',
    ]) {
      expectError(await t.as().get(`/v1/tenants/acme/audit?${query}`), 400, 'VALIDATION_FAILED');
    }
    const backwards = await t
      .as()
      .get('/v1/tenants/acme/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expectError(backwards, 400, 'VALIDATION_FAILED');
    const paged = await t
      .as()
      .get('/v1/tenants/acme/audit?limit=5')
      .set('Accept', 'application/x-ndjson');
    expect(expectError(paged, 400, 'VALIDATION_FAILED').details).toEqual([
      { field: 'limit', message: 'limit pages the JSON listing; an export holds the whole window' },
    ]);
    expectError(await t.as().get('/v1/tenants/nobody/audit'), 404, 'NOT_FOUND');
  });

  it('streams the same query as an NDJSON export, which verifies', async () => {
    await sealAll(t, 4);
    const text = await httpExport(t, 'acme', `?keyId=${key.id}`);
    const lines = parseLines(text);
    expect(lines.filter((l) => l.kind === 'event').map((l) => l.event.type as string)).toEqual([
      'ApiKeyCreated',
      'ApiKeyRenamed',
      'ApiKeyRevoked',
    ]);
    expect(lines[0]).toMatchObject({ kind: 'header', filter: { keyId: key.id, type: null } });
    const keys = await publicKeys(t);
    const outcome = await verifyText(text, keys);
    expect(outcome.ok).toBe(true);
  });

  it('serves the public keys to anyone, and only public keys', async () => {
    const server = t.app.getHttpServer() as Parameters<typeof request>[0];
    const res = await request(server).get('/v1/audit/public-keys');
    expectStatus(res, 200);
    const body = res.body as {
      keys: { keyId: string; algorithm: string; publicKey: string; pem: string }[];
    };
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toEqual({
      keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
      algorithm: 'Ed25519',
      publicKey: expect.any(String),
      pem: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----\n/),
    });
    expect(Buffer.from(body.keys[0].publicKey, 'base64')).toHaveLength(32);
    expect(res.text).not.toMatch(/PRIVATE/);
    const checkpoints = await t.readStream('audit-checkpoints');
    expect(checkpoints.every((c) => c.data.keyId === body.keys[0].keyId)).toBe(true);
  });
});
