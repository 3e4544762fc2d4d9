import { expectError, sha256, UUID } from '../support/http-expectations';
import { expectStatus, TestApp, type KeyView, type RotatedKeyBody } from '../support/test-app';

const HOUR_MS = 3_600_000;

describe('API keys over HTTP: create, read, change, rotate, revoke', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await TestApp.start();
    await t.createTenant('acme');
  });
  afterEach(() => t.close());

  const eventTypes = async (keyId: string) =>
    (await t.readStream(`apikey-${keyId}`)).map((event) => event.type);

  it('returns the plaintext once, on create, and never a hash; GET and list never return it', async () => {
    const created = await t.createKey('acme', { name: 'Backend', scopes: ['orders:read'] });
    expect(created.key).toMatch(/^kl_live_[0-9A-Za-z]{36}$/);
    expect(created).toMatchObject({
      id: expect.stringMatching(UUID),
      tenantId: 'acme',
      name: 'Backend',
      environment: 'live',
      kind: 'secret',
      status: 'active',
      scopes: ['orders:read'],
      createdAt: t.clock.now().toISOString(),
      createdBy: `root-key:${t.admin.id}`,
      hint: `kl_live_${created.key.slice(8, 12)}…${created.key.slice(-4)}`,
    });
    const { key, ...view } = created;
    const hash = sha256(key);
    expect(JSON.stringify(created)).not.toContain(hash);
    expect(Object.keys(created).filter((name) => /hash/i.test(name))).toEqual([]);

    const got = await t.as().get(`/v1/tenants/acme/keys/${created.id}`);
    expectStatus(got, 200);
    expect(got.body).toEqual(view);
    const listed = await t.as().get('/v1/tenants/acme/keys');
    expectStatus(listed, 200);
    expect(listed.body).toEqual({ items: [view], nextCursor: null });
    for (const text of [got.text, listed.text]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(hash);
    }
  });

  it('verifies a new key as VALID with its id, tenant and scopes', async () => {
    const created = await t.createKey('acme', { scopes: ['orders:read', 'orders:write'] });
    expect(await t.verify(created.key)).toEqual({
      valid: true,
      code: 'VALID',
      keyId: created.id,
      tenantId: 'acme',
      scopes: ['orders:read', 'orders:write'],
      expiresAt: null,
    });
  });

  const expiry = new Date(Date.parse('2026-01-01T00:00:00.000Z') + 30 * 24 * HOUR_MS).toISOString();
  it.each([
    ['rename', {}, { name: 'Renamed' }, ['ApiKeyRenamed']],
    ['scopes', {}, { scopes: ['orders:read', 'users:*'] }, ['ApiKeyScopesChanged']],
    ['expiry', {}, { expiresAt: expiry }, ['ApiKeyExpiryChanged']],
    ['rate limit', {}, { rateLimit: { limit: 10, windowSeconds: 60 } }, ['ApiKeyRateLimitChanged']],
    ['metadata', {}, { metadata: { plan: 'pro', seats: 5 } }, ['ApiKeyMetadataChanged']],
    [
      'allowed IPs of a publishable key',
      { kind: 'publishable' },
      { allowedIps: ['10.0.0.0/8'] },
      ['ApiKeyRestrictionsChanged'],
    ],
    [
      'allowed origins of a publishable key',
      { kind: 'publishable' },
      { allowedOrigins: ['https://app.example.com'] },
      ['ApiKeyRestrictionsChanged'],
    ],
    [
      'several settings at once',
      {},
      { name: 'Both', scopes: ['a:b'], metadata: { team: 'x' } },
      ['ApiKeyRenamed', 'ApiKeyScopesChanged', 'ApiKeyMetadataChanged'],
    ],
  ])('PATCH %s appends exactly the matching events', async (_what, create, change, types) => {
    const created = await t.createKey('acme', create);
    const res = await t.as().patch(`/v1/tenants/acme/keys/${created.id}`, change);
    expectStatus(res, 200);
    expect(res.body).toMatchObject(change);
    expect(res.body).not.toHaveProperty('key');
    expect(await eventTypes(created.id)).toEqual(['ApiKeyCreated', ...types]);
    const got = await t.as().get(`/v1/tenants/acme/keys/${created.id}`);
    expect(got.body).toEqual(res.body);
  });

  it('PATCH that changes nothing answers 200 and appends nothing', async () => {
    const created = await t.createKey('acme', { name: 'Same' });
    const before = await t.countEvents();
    const res = await t.as().patch(`/v1/tenants/acme/keys/${created.id}`, { name: 'Same' });
    expectStatus(res, 200);
    expect(await t.countEvents()).toBe(before);
  });

  it('GET ?asOf= answers from the events up to that instant (point-in-time state)', async () => {
    const created = await t.createKey('acme', { name: 'first name' });
    const between = new Date(t.clock.now().getTime() + 30_000).toISOString();
    t.clock.advance(60_000);
    expectStatus(
      await t.as().patch(`/v1/tenants/acme/keys/${created.id}`, { name: 'second' }),
      200,
    );
    const res = await t.as().get(`/v1/tenants/acme/keys/${created.id}?asOf=${between}`);
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ id: created.id, name: 'first name' });
  });

  it('rotates with a grace period: both keys verify until it ends, then the old one is EXPIRED', async () => {
    const old = await t.createKey('acme', { scopes: ['orders:read'], metadata: { team: 'core' } });
    const res = await t.as().post(`/v1/tenants/acme/keys/${old.id}/rotate`, {
      gracePeriodSeconds: 3600,
    });
    expectStatus(res, 201);
    const rotated = res.body as RotatedKeyBody;
    const graceEndsAt = new Date(t.clock.now().getTime() + HOUR_MS).toISOString();
    expect(rotated.key).toMatch(/^kl_live_[0-9A-Za-z]{36}$/);
    expect(rotated.key).not.toBe(old.key);
    expect(rotated).toMatchObject({ rotatedFrom: old.id, scopes: ['orders:read'] });
    expect(rotated.metadata).toEqual({ team: 'core' });
    expect(rotated.previous).toMatchObject({ id: old.id, rotatedTo: rotated.id, graceEndsAt });
    expect(rotated.previous).not.toHaveProperty('key');
    expect(await eventTypes(old.id)).toEqual(['ApiKeyCreated', 'ApiKeyRotated']);
    expect(await eventTypes(rotated.id)).toEqual(['ApiKeyCreated']);

    expect(await t.verify(rotated.key)).toMatchObject({ code: 'VALID', keyId: rotated.id });
    expect(await t.verify(old.key)).toMatchObject({ code: 'VALID', keyId: old.id });
    t.clock.advance(HOUR_MS - 1);
    expect(await t.verify(old.key)).toMatchObject({ code: 'VALID', keyId: old.id });
    t.clock.advance(1);
    expect(await t.verify(old.key)).toMatchObject({ valid: false, code: 'EXPIRED' });
    expect(await t.verify(rotated.key)).toMatchObject({ valid: true, code: 'VALID' });
  });

  it('revokes: REVOKED as soon as the DELETE returns, and a second DELETE is 409', async () => {
    const created = await t.createKey('acme');
    expect(await t.verify(created.key)).toMatchObject({ code: 'VALID' });
    const res = await t.as().delete(`/v1/tenants/acme/keys/${created.id}`, { reason: 'leaked' });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ status: 'revoked', revocationReason: 'leaked' });
    expect(await t.verify(created.key)).toEqual({
      valid: false,
      code: 'REVOKED',
      keyId: created.id,
      tenantId: 'acme',
      scopes: [],
      expiresAt: null,
    });
    const again = await t.as().delete(`/v1/tenants/acme/keys/${created.id}`);
    expectError(again, 409, 'KEY_ALREADY_REVOKED');
    expect(await eventTypes(created.id)).toEqual(['ApiKeyCreated', 'ApiKeyRevoked']);
  });

  it('refuses to rotate or change a key twice over: 409 for a rotated or revoked key', async () => {
    const key = await t.createKey('acme');
    const path = `/v1/tenants/acme/keys/${key.id}`;
    expectStatus(await t.as().post(`${path}/rotate`, { gracePeriodSeconds: 60 }), 201);
    const before = await t.countEvents();
    expectError(
      await t.as().post(`${path}/rotate`, { gracePeriodSeconds: 60 }),
      409,
      'KEY_ROTATED',
    );
    expectError(await t.as().patch(path, { name: 'late' }), 409, 'KEY_ROTATED');
    const revoked = await t.createKey('acme');
    expectStatus(await t.as().delete(`/v1/tenants/acme/keys/${revoked.id}`), 200);
    const rotate = await t.as().post(`/v1/tenants/acme/keys/${revoked.id}/rotate`, {});
    expectError(rotate, 409, 'KEY_REVOKED');
    expect(await t.countEvents()).toBe(before + 2);
  });

  it('lets exactly one of two concurrent revokes win', async () => {
    const key = await t.createKey('acme');
    const path = `/v1/tenants/acme/keys/${key.id}`;
    const answers = await Promise.all([t.as().delete(path), t.as().delete(path)]);
    expect(answers.map((res) => res.status).sort()).toEqual([200, 409]);
    expect(await eventTypes(key.id)).toEqual(['ApiKeyCreated', 'ApiKeyRevoked']);
  });

  it('lists keys filtered by status and environment', async () => {
    const live = await t.createKey('acme', { name: 'live' });
    const test = await t.createKey('acme', { name: 'test', environment: 'test' });
    const revoked = await t.createKey('acme', { name: 'revoked' });
    const expiring = await t.createKey('acme', {
      name: 'expiring',
      expiresAt: new Date(t.clock.now().getTime() + HOUR_MS).toISOString(),
    });
    expectStatus(await t.as().delete(`/v1/tenants/acme/keys/${revoked.id}`), 200);
    t.clock.advance(HOUR_MS);

    const ids = async (query: string) => {
      const res = await t.as().get(`/v1/tenants/acme/keys?${query}`);
      expectStatus(res, 200);
      return (res.body as { items: KeyView[] }).items.map((key) => key.id).sort();
    };
    expect(await ids('status=active')).toEqual([live.id, test.id].sort());
    expect(await ids('status=revoked')).toEqual([revoked.id]);
    expect(await ids('status=expired')).toEqual([expiring.id]);
    expect(await ids('environment=test')).toEqual([test.id]);
    expect(await ids('environment=live&status=active')).toEqual([live.id]);
  });

  it('pages through every key with a cursor, newest first, without duplicates or gaps', async () => {
    const created: string[] = [];
    for (let i = 0; i < 8; i++) {
      // Some keys share a creation instant, so that ties are paged correctly too.
      if (i % 3 === 0) t.clock.advance(1000);
      created.push((await t.createKey('acme', { name: `key ${i}` })).id);
    }
    const seen: KeyView[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await t.as().get(`/v1/tenants/acme/keys?limit=3${query}`);
      expectStatus(res, 200);
      const page = res.body as { items: KeyView[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    const ids = seen.map((key) => key.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...created].sort());
    const createdAts = seen.map((key) => key.createdAt);
    expect(createdAts).toEqual([...createdAts].sort().reverse());
  });

  it.each([
    ['read-only', ['*:read']],
    ['standard', ['*:read', '*:write']],
    ['full', ['*']],
  ])('applies the %s preset', async (preset, scopes) => {
    const created = await t.createKey('acme', { preset });
    expect(created.scopes).toEqual(scopes);
    expect(await t.verify(created.key, { requiredScopes: ['orders:read'] })).toMatchObject({
      code: 'VALID',
    });
  });

  it('a read-only key lacks write scopes; a preset adds to explicit scopes', async () => {
    const readOnly = await t.createKey('acme', { preset: 'read-only', scopes: ['billing:write'] });
    expect(readOnly.scopes).toEqual(['*:read', 'billing:write']);
    expect(await t.verify(readOnly.key, { requiredScopes: ['orders:write'] })).toMatchObject({
      code: 'INSUFFICIENT_SCOPES',
      missingScopes: ['orders:write'],
    });
  });
});

describe('Read-your-writes without waiting out the projection timeout', () => {
  it('a write answers as soon as this instance has projected it (well under the 10 s wait)', async () => {
    const t = await TestApp.start();
    try {
      const started = Date.now();
      await t.createTenant('acme');
      const key = await t.createKey('acme');
      expectStatus(await t.as().delete(`/v1/tenants/acme/keys/${key.id}`), 200);
      expect(await t.verify(key.key)).toMatchObject({ code: 'REVOKED' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await t.close();
    }
  }, 60_000);
});
