import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response, Test } from 'supertest';
import { REDACTED_KEY } from '../../src/shared/key-redaction';
import { httpExport } from '../support/audit-export';
import { CapturingLogger } from '../support/capturing-logger';
import { expectError, UUID, type ErrorBody } from '../support/http-expectations';
import { expectStatus, TestApp } from '../support/test-app';

const SQLITE_FILES = ['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm'];
const KINDS = ['an API key', 'a publishable key', 'a root key'] as const;
type Kind = (typeof KINDS)[number];

/** Every spelling of a credential parameter the query-string refusal must catch. */
const CREDENTIAL_PARAMETERS = [
  'api_key',
  'apikey',
  'api-key',
  'API_KEY',
  'Api-Key',
  'ApiKey',
  'x-api-key',
  'key',
  'KEY',
  'token',
  'Token',
  'access_token',
  'ACCESS_TOKEN',
  'accessToken',
  'api_key[]',
  'api_key[0]',
  'token[]',
  'Key[0]',
];

/**
 * SPEC §3: a key is shown once, in the response that issues it, and nowhere else. Each leak
 * path found by trial (issue 12) sends real keys where input is quoted or recorded; then no
 * response (body or headers), log line, byte of the SQLite files or NDJSON export holds any of
 * them, and no refused request appended an event.
 */
describe('No key reaches a response, a log, an event or an export', () => {
  const logger = new CapturingLogger();
  const responses: string[] = [];
  const secrets = {} as Record<Kind, string>;
  let dataDir: string;
  let t: TestApp;
  let keyId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'keyledger-leaks-'));
    t = await TestApp.start({ dataDir, logger });
    await t.createTenant('acme');
    const apiKey = await t.createKey('acme', { name: 'victim' });
    keyId = apiKey.id;
    secrets['an API key'] = apiKey.key;
    secrets['a publishable key'] = (
      await t.createKey('acme', { name: 'widget', kind: 'publishable' })
    ).key;
    secrets['a root key'] = (await t.rootKey(['keys:read'])).key;
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Keeps what a client saw, body and headers, for the final search. */
  async function observe(sent: Test): Promise<Response> {
    const res = await sent;
    responses.push(res.text, JSON.stringify(res.headers));
    return res;
  }

  /** A request refused with `status`: it appends no event; returns its error body. */
  async function refused(sent: Test, status = 400, code = 'VALIDATION_FAILED'): Promise<ErrorBody> {
    const before = await t.countEvents();
    const body = expectError(await observe(sent), status, code);
    expect(await t.countEvents()).toBe(before);
    return body;
  }

  const keys = '/v1/tenants/acme/keys';

  describe.each(KINDS)('%s', (kind) => {
    it('as a refused allowedIps entry, on create and on update', async () => {
      const key = secrets[kind];
      const created = await refused(
        t.as().post(keys, { name: 'x', allowedIps: ['10.0.0.1', key] }),
      );
      expect(created.details).toEqual([{ field: 'allowedIps[1]', message: expect.any(String) }]);
      const patched = await refused(t.as().patch(`${keys}/${keyId}`, { allowedIps: [key] }));
      expect(patched.details).toEqual([{ field: 'allowedIps[0]', message: expect.any(String) }]);
    });

    it('as a property name, at the top and in metadata', async () => {
      const key = secrets[kind];
      const unknown = await refused(t.as().post(keys, { name: 'x', [key]: true }));
      expect(unknown.details).toEqual([
        { field: REDACTED_KEY, message: `property ${REDACTED_KEY} should not exist` },
      ]);
      const metadata = await refused(t.as().post(keys, { name: 'x', metadata: { [key]: 1 } }));
      expect(metadata.details).toEqual([
        { field: `metadata.${REDACTED_KEY}`, message: expect.stringMatching(/not accepted/) },
      ]);
    });

    it('in abilities and tenants of a new root key', async () => {
      const key = secrets[kind];
      const abilities = await refused(
        t.as().post('/v1/root-keys', { name: 'r', abilities: ['keys:read', key] }),
      );
      expect(abilities.details).toEqual([{ field: 'abilities[1]', message: expect.any(String) }]);
      const tenants = await refused(
        t.as().post('/v1/root-keys', { name: 'r', abilities: ['keys:read'], tenants: [key] }),
      );
      expect(tenants.details).toEqual([{ field: 'tenants', message: expect.any(String) }]);
    });

    it('in a field a valid body may hold (name, scope, reason, metadata, usage endpoint)', async () => {
      const key = secrets[kind];
      const usage = { keyId, endpoint: `/orders?token=${key}`, status: 200 };
      for (const [sent, field] of [
        [t.as().post(keys, { name: `copy of ${key}` }), 'name'],
        [t.as().post(keys, { name: 'x', scopes: ['orders:read', key] }), 'scopes[1]'],
        [t.as().post(keys, { name: 'x', metadata: { note: key } }), 'metadata.note'],
        [t.as().patch(`${keys}/${keyId}`, { name: key }), 'name'],
        [t.as().delete(`${keys}/${keyId}`, { reason: `leaked: ${key}` }), 'reason'],
        [t.as().post('/v1/usage', { entries: [usage] }), 'entries[0].endpoint'],
      ] as const) {
        expect((await refused(sent)).details).toEqual([
          { field, message: expect.stringMatching(/not accepted/) },
        ]);
      }
    });

    it('in a verify request, beside the key it verifies: the endpoint and unknown fields', async () => {
      const key = secrets[kind];
      const victim = secrets['an API key'];
      const endpoint = await refused(
        t.as().post('/v1/keys/verify', { key: victim, endpoint: `GET /x?token=${key}` }),
      );
      expect(endpoint.details).toEqual([{ field: 'endpoint', message: expect.any(String) }]);
      const unknown = await refused(t.as().post('/v1/keys/verify', { key: victim, [key]: 1 }));
      expect(unknown.details).toEqual([
        { field: REDACTED_KEY, message: `property ${REDACTED_KEY} should not exist` },
      ]);
      const ip = await refused(t.as().post('/v1/keys/verify', { key: victim, ip: key }));
      expect(ip.details).toEqual([{ field: 'ip', message: expect.any(String) }]);
    });

    it('in the path, as a key id, a tenant id or an unknown route', async () => {
      const key = secrets[kind];
      await refused(t.as().get(`${keys}/${key}`));
      await refused(t.as().delete(`/v1/tenants/${key}/keys/${keyId}`));
      const unknown = await refused(
        t.as().get(`/v1/${key}`).set('X-Request-Id', key),
        404,
        'NOT_FOUND',
      );
      expect(unknown.requestId).toMatch(UUID);
    });

    it('as X-Request-Id: replaced by a fresh id, never echoed nor recorded', async () => {
      const key = secrets[kind];
      const res = await observe(
        t
          .as()
          .patch(`${keys}/${keyId}`, { name: `renamed ${kind}` })
          .set('X-Request-Id', key),
      );
      expectStatus(res, 200);
      expect(res.headers['x-request-id']).toMatch(UUID);
      const [last] = (await t.readStream(`apikey-${keyId}`)).slice(-1);
      expect(last.type).toBe('ApiKeyRenamed');
      expect(last.metadata.requestId).toBe(res.headers['x-request-id']);

      const failed = await refused(t.as().post(keys, { name: '' }).set('X-Request-Id', key));
      expect(failed.requestId).toMatch(UUID);
    });

    it('inside User-Agent: recorded with the key redacted, and cut to 256 characters', async () => {
      const key = secrets[kind];
      const res = await observe(
        t
          .as()
          .patch(`${keys}/${keyId}`, { metadata: { kind } })
          .set('User-Agent', `curl/8.5 (${key}) ${'x'.repeat(400)}`),
      );
      expectStatus(res, 200);
      const [last] = (await t.readStream(`apikey-${keyId}`)).slice(-1);
      expect(last.type).toBe('ApiKeyMetadataChanged');
      expect(last.metadata.userAgent).toBe(
        `curl/8.5 (${REDACTED_KEY}) ${'x'.repeat(400)}`.slice(0, 256),
      );
    });

    it.each(CREDENTIAL_PARAMETERS)(
      'in the query string as ?%s=, on a read and on a write',
      async (name) => {
        const key = secrets[kind];
        const query = `${encodeURIComponent(name).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${key}`;
        const base = name.replace(/\[.*$/, '');
        for (const sent of [
          t.as().get(`${keys}?${query}`),
          t.as().post(`${keys}?${query}`, { name: 'x' }),
        ]) {
          expect((await refused(sent)).details).toEqual([
            { field: base, message: 'credentials are not accepted in the query string' },
          ]);
        }
      },
    );

    it('in the query string under any other name, as a value or as a name', async () => {
      const key = secrets[kind];
      for (const query of [
        `cursor=${key}`,
        `status=active&q=${key}`,
        `${key}=1`,
        `note=see%20${key}`,
      ]) {
        expect((await refused(t.as().get(`${keys}?${query}`))).details).toEqual([
          { field: 'query', message: expect.stringMatching(/not accepted/) },
        ]);
      }
    });
  });

  describe('afterwards', () => {
    it('no response body or header held a key', () => {
      expect(responses.length).toBeGreaterThan(100);
      const seen = responses.join('\n');
      expect(seen).toContain(REDACTED_KEY);
      for (const kind of KINDS)
        expect({ kind, echoed: seen.includes(secrets[kind]) }).toEqual({ kind, echoed: false });
    });

    it('no log line held a key', () => {
      const logged = logger.text();
      for (const kind of KINDS)
        expect({ kind, logged: logged.includes(secrets[kind]) }).toEqual({ kind, logged: false });
    });

    it('no event held a key, nor any byte of the SQLite files', async () => {
      const events = JSON.stringify(
        (await t.allEvents()).map(({ stream, type, data, metadata }) => [
          stream,
          type,
          data,
          metadata,
        ]),
      );
      expect(events).toContain(REDACTED_KEY); // the user agents
      const bytes = SQLITE_FILES.map((name) => join(dataDir, name))
        .filter((file) => existsSync(file))
        .map((file) => readFileSync(file).toString('latin1'))
        .join('\n');
      expect(bytes).toContain(REDACTED_KEY); // the search reaches the stored events
      for (const kind of KINDS) {
        expect({
          kind,
          inEvents: events.includes(secrets[kind]),
          onDisk: bytes.includes(secrets[kind]),
        }).toEqual({
          kind,
          inEvents: false,
          onDisk: false,
        });
      }
    });

    it('no line of the NDJSON audit export held a key', async () => {
      const exported = await httpExport(t, 'acme');
      expect(exported).toContain('ApiKeyMetadataChanged');
      expect(exported).toContain(REDACTED_KEY);
      for (const kind of KINDS)
        expect({ kind, exported: exported.includes(secrets[kind]) }).toEqual({
          kind,
          exported: false,
        });
    });
  });
});
