import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import { detailFields, expectError } from '../support/http-expectations';
import { expectStatus, TestApp } from '../support/test-app';

interface BadInput {
  readonly label: string;
  readonly send: (t: TestApp, keyId: string) => Test;
  readonly status: number;
  readonly code: string;
  /** For 400: the fields `details` must name (at least these); only a body that is not JSON has none. */
  readonly fields?: readonly string[];
  /** What the message (or a detail message) must say. */
  readonly says?: RegExp;
}

const keys = '/v1/tenants/acme/keys';
const create = (body: unknown) => (t: TestApp) => t.as().post(keys, body);
const patch = (body: unknown) => (t: TestApp, id: string) => t.as().patch(`${keys}/${id}`, body);
const raw = (path: string, type: string, text: string) => (t: TestApp) =>
  t.as().post(path).set('Content-Type', type).send(text);
const past = '2025-12-31T23:59:59.000Z'; // the ManualClock starts at 2026-01-01T00:00:00Z

// A table reads best one case per line.
// prettier-ignore
const CASES: readonly BadInput[] = [
  { label: 'malformed JSON', send: raw(keys, 'application/json', '{"name": "x",'), status: 400, code: 'VALIDATION_FAILED', says: /JSON/ },
  { label: 'a JSON string instead of an object', send: raw(keys, 'application/json', '"just a name"'), status: 400, code: 'VALIDATION_FAILED' },
  { label: 'a JSON array instead of an object', send: create([{ name: 'x' }]), status: 400, code: 'VALIDATION_FAILED' },
  { label: 'name of the wrong type', send: create({ name: 42 }), status: 400, code: 'VALIDATION_FAILED', fields: ['name'], says: /string/ },
  { label: 'no name at all', send: create({ scopes: [] }), status: 400, code: 'VALIDATION_FAILED', fields: ['name'] },
  { label: 'environment of the wrong value', send: create({ name: 'x', environment: 'prod' }), status: 400, code: 'VALIDATION_FAILED', fields: ['environment'] },
  { label: 'rateLimit of the wrong type', send: create({ name: 'x', rateLimit: 'fast' }), status: 400, code: 'VALIDATION_FAILED', fields: ['rateLimit'] },
  { label: 'rateLimit.limit of 0', send: create({ name: 'x', rateLimit: { limit: 0, windowSeconds: 60 } }), status: 400, code: 'VALIDATION_FAILED', fields: ['rateLimit.limit'] },
  { label: 'an unknown field', send: create({ name: 'x', owner: 'bob' }), status: 400, code: 'VALIDATION_FAILED', fields: ['owner'], says: /owner should not exist/ },
  { label: 'an empty name', send: create({ name: '' }), status: 400, code: 'VALIDATION_FAILED', fields: ['name'] },
  { label: 'a blank name', send: create({ name: '   ' }), status: 400, code: 'VALIDATION_FAILED', fields: ['name'] },
  { label: 'a 101-char name', send: create({ name: 'n'.repeat(101) }), status: 400, code: 'VALIDATION_FAILED', fields: ['name'], says: /100/ },
  { label: 'scopes that are not strings', send: create({ name: 'x', scopes: [1, 2] }), status: 400, code: 'VALIDATION_FAILED', fields: ['scopes'] },
  { label: '101 scopes', send: create({ name: 'x', scopes: Array.from({ length: 101 }, (_, i) => `s${i}:read`) }), status: 400, code: 'VALIDATION_FAILED', fields: ['scopes'], says: /100/ },
  { label: 'a scope with a space', send: create({ name: 'x', scopes: ['orders read'] }), status: 400, code: 'VALIDATION_FAILED', fields: ['scopes[0]'] },
  { label: 'an invalid CIDR', send: create({ name: 'x', allowedIps: ['10.0.0.1', '10.0.0.0/33'] }), status: 400, code: 'VALIDATION_FAILED', fields: ['allowedIps[1]'], says: /CIDR/ },
  { label: 'a past expiresAt', send: create({ name: 'x', expiresAt: past }), status: 400, code: 'VALIDATION_FAILED', fields: ['expiresAt'], says: /future/ },
  { label: 'an expiresAt that is not a date', send: create({ name: 'x', expiresAt: 'tomorrow' }), status: 400, code: 'VALIDATION_FAILED', fields: ['expiresAt'] },
  { label: 'allowedOrigins on a secret key', send: create({ name: 'x', allowedOrigins: ['https://a.example'] }), status: 400, code: 'VALIDATION_FAILED', fields: ['allowedOrigins'], says: /publishable/ },
  { label: 'nested metadata', send: create({ name: 'x', metadata: { a: { b: 1 } } }), status: 400, code: 'VALIDATION_FAILED', fields: ['metadata.a'], says: /flat/ },
  { label: 'metadata over 4 KiB', send: create({ name: 'x', metadata: { blob: 'm'.repeat(4100) } }), status: 400, code: 'VALIDATION_FAILED', fields: ['metadata'], says: /4096/ },
  { label: 'an unknown preset', send: create({ name: 'x', preset: 'admin' }), status: 400, code: 'VALIDATION_FAILED', fields: ['preset'] },
  { label: 'a text/plain body', send: raw(keys, 'text/plain', '{"name":"x"}'), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', says: /application\/json/ },
  { label: 'a form body', send: raw(keys, 'application/x-www-form-urlencoded', 'name=x'), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { label: 'an unknown tenant', send: (t) => t.as().post('/v1/tenants/no-such-tenant/keys', { name: 'x' }), status: 404, code: 'NOT_FOUND', says: /Tenant not found/ },
  { label: 'a malformed tenantId in the path', send: (t) => t.as().post('/v1/tenants/Not_A_Tenant/keys', { name: 'x' }), status: 400, code: 'VALIDATION_FAILED', fields: ['tenantId'] },
  { label: 'a non-UUID keyId (GET)', send: (t) => t.as().get(`${keys}/not-a-uuid`), status: 400, code: 'VALIDATION_FAILED', fields: ['keyId'] },
  { label: 'a non-UUID keyId (PATCH)', send: (t) => t.as().patch(`${keys}/123`, { name: 'y' }), status: 400, code: 'VALIDATION_FAILED', fields: ['keyId'] },
  { label: 'a non-UUID keyId (DELETE)', send: (t) => t.as().delete(`${keys}/123`), status: 400, code: 'VALIDATION_FAILED', fields: ['keyId'] },
  { label: 'an unknown keyId (PATCH)', send: (t) => t.as().patch(`${keys}/${randomUUID()}`, { name: 'y' }), status: 404, code: 'NOT_FOUND' },
  { label: "another tenant's key (GET)", send: (t, id) => t.as().get(`/v1/tenants/globex/keys/${id}`), status: 404, code: 'NOT_FOUND' },
  { label: "another tenant's key (PATCH)", send: (t, id) => t.as().patch(`/v1/tenants/globex/keys/${id}`, { name: 'y' }), status: 404, code: 'NOT_FOUND' },
  { label: "another tenant's key (rotate)", send: (t, id) => t.as().post(`/v1/tenants/globex/keys/${id}/rotate`, {}), status: 404, code: 'NOT_FOUND' },
  { label: "another tenant's key (DELETE)", send: (t, id) => t.as().delete(`/v1/tenants/globex/keys/${id}`), status: 404, code: 'NOT_FOUND' },
  { label: 'PATCH with an empty body', send: patch({}), status: 400, code: 'VALIDATION_FAILED', fields: ['body'], says: /change/ },
  { label: 'PATCH with a null name', send: patch({ name: null }), status: 400, code: 'VALIDATION_FAILED', fields: ['name'] },
  { label: 'PATCH with an unknown field', send: patch({ status: 'active' }), status: 400, code: 'VALIDATION_FAILED', fields: ['status'] },
  { label: 'PATCH with a past expiresAt', send: patch({ expiresAt: past }), status: 400, code: 'VALIDATION_FAILED', fields: ['expiresAt'] },
  { label: 'an unknown query parameter', send: (t) => t.as().get(`${keys}?sort=name`), status: 400, code: 'VALIDATION_FAILED', fields: ['sort'] },
  { label: 'an invalid cursor', send: (t) => t.as().get(`${keys}?cursor=garbage`), status: 400, code: 'VALIDATION_FAILED', fields: ['cursor'] },
  { label: 'limit of 0', send: (t) => t.as().get(`${keys}?limit=0`), status: 400, code: 'VALIDATION_FAILED', fields: ['limit'] },
  { label: 'limit above the page maximum', send: (t) => t.as().get(`${keys}?limit=101`), status: 400, code: 'VALIDATION_FAILED', fields: ['limit'] },
  { label: 'an unknown status filter', send: (t) => t.as().get(`${keys}?status=deleted`), status: 400, code: 'VALIDATION_FAILED', fields: ['status'] },
  { label: 'a negative grace period', send: (t, id) => t.as().post(`${keys}/${id}/rotate`, { gracePeriodSeconds: -1 }), status: 400, code: 'VALIDATION_FAILED', fields: ['gracePeriodSeconds'] },
  { label: 'a grace period that is not a number', send: (t, id) => t.as().post(`${keys}/${id}/rotate`, { gracePeriodSeconds: 'soon' }), status: 400, code: 'VALIDATION_FAILED', fields: ['gracePeriodSeconds'] },
  { label: 'a revocation reason that is not a string', send: (t, id) => t.as().delete(`${keys}/${id}`, { reason: 5 }), status: 400, code: 'VALIDATION_FAILED', fields: ['reason'] },
  { label: 'a tenant with a malformed id', send: (t) => t.as().post('/v1/tenants', { tenantId: 'AB', name: 'x' }), status: 400, code: 'VALIDATION_FAILED', fields: ['tenantId'] },
  { label: "a tenant with the root keys' prefix", send: (t) => t.as().post('/v1/tenants', { tenantId: 'other', name: 'x', keyPrefix: 'klr' }), status: 400, code: 'VALIDATION_FAILED', fields: ['keyPrefix'] },
  { label: 'a tenant that already exists', send: (t) => t.as().post('/v1/tenants', { tenantId: 'acme', name: 'again' }), status: 409, code: 'TENANT_EXISTS' },
  { label: 'a verify without a key', send: (t) => t.as().post('/v1/keys/verify', {}), status: 400, code: 'VALIDATION_FAILED', fields: ['key'] },
  { label: 'a verify with an invalid ip', send: (t) => t.as().post('/v1/keys/verify', { key: 'x', ip: '300.1.1.1' }), status: 400, code: 'VALIDATION_FAILED', fields: ['ip'] },
  { label: 'a root key with no abilities', send: (t) => t.as().post('/v1/root-keys', { name: 'r', abilities: [] }), status: 400, code: 'VALIDATION_FAILED', fields: ['abilities'] },
  { label: 'a root key with an unknown ability', send: (t) => t.as().post('/v1/root-keys', { name: 'r', abilities: ['keys:fly'] }), status: 400, code: 'VALIDATION_FAILED', fields: ['abilities[0]'] },
];

describe('Bad input: the right 4xx, a message saying what is wrong, and nothing appended', () => {
  let t: TestApp;
  let keyId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createTenant('acme');
    await t.createTenant('globex');
    keyId = (await t.createKey('acme', { name: 'existing' })).id;
  });
  afterAll(() => t.close());

  it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const before = await t.countEvents();
    const res = await c.send(t, keyId);
    const body = expectError(res, c.status, c.code);
    if (c.status !== 400) expect(body.details).toBeUndefined();
    if (c.fields) expect(detailFields(body)).toEqual(expect.arrayContaining([...c.fields]));
    if (c.says) {
      const said = [body.error, ...(body.details ?? []).map((d) => d.message)].join('\n');
      expect(said).toMatch(c.says);
    }
    expect(await t.countEvents()).toBe(before);
  });

  it('the existing key is untouched by all of the above', async () => {
    const res = await t.as().get(`${keys}/${keyId}`);
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ name: 'existing', status: 'active', revokedAt: null });
    expect((await t.readStream(`apikey-${keyId}`)).map((e) => e.type)).toEqual(['ApiKeyCreated']);
  });

  it.each([
    ['an unquoted key in an object', (key: string) => `{"key":${key}}`],
    ['a bare key as the body', (key: string) => key],
  ])(
    'malformed JSON holding %s: a fixed message that echoes none of the key',
    async (_what, body) => {
      const apiKey = (await t.createKey('acme')).key;
      for (const key of [t.admin.key, apiKey]) {
        const res = await raw('/v1/keys/verify', 'application/json', body(key))(t);
        const error = expectError(res, 400, 'VALIDATION_FAILED');
        expect(error.error).toBe('Request body is not valid JSON');
        // Not even the first secret characters, which the JSON parser quotes back. The random
        // request id is left out of the search: it could hold any short string by chance.
        const start = key.lastIndexOf('_') + 1;
        const { requestId: _requestId, ...rest } = res.body as Record<string, unknown>;
        expect(JSON.stringify(rest)).not.toContain(key.slice(start, start + 6));
        expect(Object.keys(res.body as object).sort()).toEqual(['code', 'error', 'requestId']);
      }
    },
  );
});
