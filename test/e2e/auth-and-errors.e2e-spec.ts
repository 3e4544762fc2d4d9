import { generateRootKey } from '../../src/shared/key-format';
import { randomSecrets } from '../../src/shared/secrets';
import {
  detailFields,
  expectError,
  UUID,
  withoutRequestId,
  type ErrorBody,
} from '../support/http-expectations';
import { expectStatus, TestApp } from '../support/test-app';

const UNAUTHORIZED = { error: 'Invalid or missing API key', code: 'UNAUTHORIZED' };

describe('Authentication, abilities, tenant binding and the error shape', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await TestApp.start();
    await t.createTenant('acme');
    await t.createTenant('globex');
  });
  afterEach(() => t.close());

  const listAcme = '/v1/tenants/acme/keys';

  it('answers 401 with one identical body whatever is wrong with the root key', async () => {
    const revoked = await t.rootKey(['keys:read']);
    expectStatus(await t.as().delete(`/v1/root-keys/${revoked.id}`), 200);
    const apiKey = (await t.createKey('acme', { preset: 'full' })).key;
    const server = t.anonymous();
    const cases: [string, Record<string, string>][] = [
      ['no credentials', {}],
      ['malformed bearer', { Authorization: 'Bearer not-a-key' }],
      ['empty bearer', { Authorization: 'Bearer ' }],
      ['unknown root key', { Authorization: `Bearer ${generateRootKey(randomSecrets).plaintext}` }],
      ['revoked root key', { Authorization: `Bearer ${revoked.key}` }],
      [
        'Basic scheme',
        { Authorization: `Basic ${Buffer.from(`x:${t.admin.key}`).toString('base64')}` },
      ],
      ['root key without Bearer', { Authorization: t.admin.key }],
      ['API key as root key', { Authorization: `Bearer ${apiKey}` }],
      ['API key in X-API-Key', { 'X-API-Key': apiKey }],
      ['unknown root key in X-API-Key', { 'X-API-Key': generateRootKey(randomSecrets).plaintext }],
    ];
    const requestIds = new Set<string>();
    for (const [label, headers] of cases) {
      const res = await server.get(listAcme).set(headers);
      const body = expectError(res, 401, 'UNAUTHORIZED');
      expect({ label, body: withoutRequestId(body) }).toEqual({ label, body: UNAUTHORIZED });
      requestIds.add(body.requestId);
    }
    expect(requestIds.size).toBe(cases.length);
  });

  it('accepts X-API-Key, and Authorization wins when both are present', async () => {
    const server = t.anonymous();
    expectStatus(await server.get(listAcme).set('X-API-Key', t.admin.key), 200);
    const authWins = await server
      .get(listAcme)
      .set('Authorization', `Bearer ${t.admin.key}`)
      .set('X-API-Key', 'garbage');
    expectStatus(authWins, 200);
    const badAuth = await server
      .get(listAcme)
      .set('Authorization', 'Bearer garbage')
      .set('X-API-Key', t.admin.key);
    expect(withoutRequestId(expectError(badAuth, 401, 'UNAUTHORIZED'))).toEqual(UNAUTHORIZED);
  });

  it.each(['api_key', 'token', 'key', 'access_token'])(
    'refuses a key in the query string (?%s=) with 400 that does not echo it',
    async (name) => {
      for (const key of [t.admin.key, (await t.createKey('acme')).key]) {
        const res = await t.as().get(`${listAcme}?${name}=${encodeURIComponent(key)}`);
        const body = expectError(res, 400, 'VALIDATION_FAILED');
        expect(body.details).toEqual([{ field: name, message: expect.any(String) }]);
        expect(res.text).not.toContain(key);
        expect(res.text).not.toContain(key.slice(-12));
        expect(t.logger.text()).not.toContain(key);
      }
    },
  );

  it('never echoes a key sent in the query string of an unknown route either', async () => {
    const key = (await t.createKey('acme')).key;
    const res = await t.as().get(`/v1/tenants/acme/kyes?api_key=${key}`);
    expect([400, 404]).toContain(res.status);
    expect(res.text).not.toContain(key);
  });

  it('answers 403 "Missing ability: keys:write" and writes nothing', async () => {
    const reader = await t.rootKey(['keys:read', 'tenants:read']);
    const before = await t.countEvents();
    const res = await t.as(reader.key).post(listAcme, { name: 'nope' });
    expect(withoutRequestId(expectError(res, 403, 'FORBIDDEN'))).toEqual({
      error: 'Missing ability: keys:write',
      code: 'FORBIDDEN',
    });
    expectStatus(await t.as(reader.key).get(listAcme), 200);
    expect(await t.countEvents()).toBe(before);
  });

  it('answers 404 for a tenant outside the binding, exactly as for a tenant that does not exist', async () => {
    const globexKey = await t.createKey('globex');
    const acmeOnly = await t.rootKey(['*'], ['acme']);
    const bodies: ErrorBody[] = [];
    for (const path of [
      '/v1/tenants/globex/keys',
      '/v1/tenants/no-such-tenant/keys',
      '/v1/tenants/globex',
      `/v1/tenants/globex/keys/${globexKey.id}`,
    ]) {
      bodies.push(expectError(await t.as(acmeOnly.key).get(path), 404, 'NOT_FOUND'));
    }
    bodies.push(expectError(await t.as().get('/v1/tenants/no-such-tenant/keys'), 404, 'NOT_FOUND'));
    const shapes = bodies.map(withoutRequestId);
    for (const shape of shapes) expect(shape).toEqual(shapes[0]);
    const revoke = await t.as(acmeOnly.key).delete(`/v1/tenants/globex/keys/${globexKey.id}`);
    expect(withoutRequestId(expectError(revoke, 404, 'NOT_FOUND'))).toEqual(shapes[0]);
    expect(await t.verify(globexKey.key)).toMatchObject({ code: 'VALID' });
    expectStatus(await t.as(acmeOnly.key).get(listAcme), 200);
  });

  it('answers 404, not 403, on another tenant for a bound root key that lacks the ability too', async () => {
    const globexKey = await t.createKey('globex');
    const acmeReader = await t.rootKey(['tenants:read', 'keys:read'], ['acme']);
    const before = await t.countEvents();
    const notFound = withoutRequestId(
      expectError(await t.as().get('/v1/tenants/no-such-tenant/keys'), 404, 'NOT_FOUND'),
    );
    const elsewhere = [
      t.as(acmeReader.key).post('/v1/tenants/globex/keys', { name: 'nope' }),
      t.as(acmeReader.key).delete(`/v1/tenants/globex/keys/${globexKey.id}`),
      t.as(acmeReader.key).get('/v1/tenants/globex/audit'),
      t.as(acmeReader.key).get('/v1/tenants/globex/usage'),
      t.as(acmeReader.key).post('/v1/tenants/no-such-tenant/keys', { name: 'nope' }),
    ];
    for (const sent of elsewhere) {
      expect(withoutRequestId(expectError(await sent, 404, 'NOT_FOUND'))).toEqual(notFound);
    }
    // Within its binding the same key is told what it lacks.
    const own = await t.as(acmeReader.key).post(listAcme, { name: 'nope' });
    expect(expectError(own, 403, 'FORBIDDEN').error).toBe('Missing ability: keys:write');
    expect(await t.countEvents()).toBe(before);
  });

  it('answers 409 on a double revoke', async () => {
    const key = await t.createKey('acme');
    expectStatus(await t.as().delete(`${listAcme}/${key.id}`), 200);
    const before = await t.countEvents();
    const body = expectError(
      await t.as().delete(`${listAcme}/${key.id}`),
      409,
      'KEY_ALREADY_REVOKED',
    );
    expect(body.error).toMatch(/already revoked/i);
    expect(await t.countEvents()).toBe(before);
  });

  it('answers 413 for a body over 64 KiB (not at 64 KiB) and writes nothing', async () => {
    const before = await t.countEvents();
    const sized = (bytes: number) => {
      const text = JSON.stringify({ name: 'big', metadata: { blob: '' } });
      return JSON.stringify({ name: 'big', metadata: { blob: 'x'.repeat(bytes - text.length) } });
    };
    const send = (body: string) =>
      t.as().post(listAcme).set('Content-Type', 'application/json').send(body);
    // Exactly at the limit the body is parsed, and refused for its 4 KiB metadata instead.
    expectError(await send(sized(65_536)), 400, 'VALIDATION_FAILED');
    const res = await send(sized(65_537));
    expect(expectError(res, 413, 'PAYLOAD_TOO_LARGE').error).toMatch(/too large|size limit/i);
    expect(await t.countEvents()).toBe(before);
  });

  it('a root key bound to one tenant cannot revoke a root key it could not have made', async () => {
    const acmeAdmin = await t.rootKey(['root-keys:write', 'keys:read'], ['acme']);
    const globexOnly = await t.rootKey(['keys:read'], ['globex']);
    const targets: [string, string][] = [
      ["the admin's '*' root key", t.admin.id],
      ['a root key bound to globex only', globexOnly.id],
    ];
    for (const [target, id] of targets) {
      const res = await t.as(acmeAdmin.key).delete(`/v1/root-keys/${id}`);
      // 404 like any resource outside the binding (403 would do too); never 200.
      expect({ target, refused: [403, 404].includes(res.status) }).toEqual({
        target,
        refused: true,
      });
    }
    expect((await t.readStream(`rootkey-${t.admin.id}`)).map((e) => e.type)).toEqual([
      'RootKeyCreated',
    ]);
    expectStatus(await t.as().get(listAcme), 200);
    expectStatus(await t.as(globexOnly.key).get('/v1/tenants/globex/keys'), 200);
    // Its own binding it can still manage.
    const acmeReader = await t.rootKey(['keys:read'], ['acme']);
    expectStatus(await t.as(acmeAdmin.key).delete(`/v1/root-keys/${acmeReader.id}`), 200);
  });

  it('keeps the root-key rules the README states: revocation by ability, no inherited rate limit, no expiry', async () => {
    const minter = await t.rootKey(['root-keys:write', 'keys:read'], '*', {
      limit: 3,
      windowSeconds: 60,
    });
    const writer = await t.rootKey(['keys:write']);
    // It does not hold keys:write, so the writer is not one it may revoke: 404, as unknown.
    expectError(await t.as(minter.key).delete(`/v1/root-keys/${writer.id}`), 404, 'NOT_FOUND');
    const minted = await t.as(minter.key).post('/v1/root-keys', {
      name: 'child',
      abilities: ['keys:read'],
    });
    expectStatus(minted, 201);
    const child = minted.body as { key: string; rateLimit: unknown };
    expect(child.rateLimit).toBeNull();
    for (let i = 0; i < 5; i++) expectStatus(await t.as(child.key).get(listAcme), 200);
    const expiring = await t.as().post('/v1/root-keys', {
      name: 'r',
      abilities: ['keys:read'],
      expiresAt: '2030-01-01T00:00:00Z',
    });
    expect(detailFields(expectError(expiring, 400, 'VALIDATION_FAILED'))).toEqual(['expiresAt']);
  });

  it('accepts usage reported for a revoked key, as the README says', async () => {
    const key = await t.createKey('acme');
    expectStatus(await t.as().delete(`${listAcme}/${key.id}`), 200);
    const res = await t.as().post('/v1/usage', {
      entries: [{ keyId: key.id, endpoint: 'GET /orders', status: 200 }],
    });
    expectStatus(res, 202);
    expect(res.body).toEqual({ accepted: 1 });
  });

  it('serves /health and /ready without a root key', async () => {
    expect((await t.anonymous().get('/health')).body).toEqual({ status: 'ok' });
    expect((await t.anonymous().get('/ready')).body).toEqual({ status: 'ready' });
  });

  it("answers 429 with Retry-After once a root key's own rate limit is used up", async () => {
    const limited = await t.rootKey(['keys:read'], '*', { limit: 2, windowSeconds: 30 });
    expectStatus(await t.as(limited.key).get(listAcme), 200);
    t.clock.advance(10_000);
    expectStatus(await t.as(limited.key).get(listAcme), 200);
    const res = await t.as(limited.key).get(listAcme);
    expectError(res, 429, 'RATE_LIMITED');
    expect(res.headers['retry-after']).toBe('20');
    expectStatus(await t.as().get(listAcme), 200);
    t.clock.advance(20_000);
    expectStatus(await t.as(limited.key).get(listAcme), 200);
  });

  it('answers 415 for a body that is not JSON and writes nothing', async () => {
    const before = await t.countEvents();
    const res = await t.as().post(listAcme).set('Content-Type', 'text/plain').send('name=plain');
    expect(expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE').error).toMatch(/application\/json/);
    expect(await t.countEvents()).toBe(before);
  });

  it('echoes a sane X-Request-Id, uses it as requestId in errors and events, else makes one', async () => {
    const ok = await t
      .as()
      .post('/v1/tenants', { tenantId: 'initech', name: 'I' })
      .set('X-Request-Id', 'req-ok-1');
    expectStatus(ok, 201);
    expect(ok.headers['x-request-id']).toBe('req-ok-1');
    const [event] = await t.readStream('tenant-initech');
    expect(event.metadata.requestId).toBe('req-ok-1');

    const denied = await t.anonymous().get(listAcme).set('X-Request-Id', 'req-401');
    expect(denied.headers['x-request-id']).toBe('req-401');
    expect(expectError(denied, 401, 'UNAUTHORIZED').requestId).toBe('req-401');

    for (const offered of [undefined, 'has spaces and !', 'x'.repeat(129)]) {
      const sent = t.anonymous().get(listAcme);
      const made = await (offered === undefined ? sent : sent.set('X-Request-Id', offered));
      const body = expectError(made, 401, 'UNAUTHORIZED');
      expect(body.requestId).toMatch(UUID);
      expect(made.headers['x-request-id']).toBe(body.requestId);
    }
  });

  it.each([
    [
      'malformed JSON',
      (t: TestApp) =>
        t.as().post(listAcme).set('Content-Type', 'application/json').send('{"name":'),
      400,
    ],
    ['an oversized body', (t: TestApp) => t.as().post(listAcme, { name: 'x'.repeat(70_000) }), 413],
    ['an unknown route', (t: TestApp) => t.as().get('/v1/no-such-route'), 404],
  ])('echoes X-Request-Id on %s too', async (_what, send, status) => {
    const res = await send(t).set('X-Request-Id', 'req-early');
    expect(res.status).toBe(status);
    expect(res.headers['x-request-id']).toBe('req-early');
    expect((res.body as ErrorBody).requestId).toBe('req-early');
  });
});
