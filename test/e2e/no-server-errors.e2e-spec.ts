import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Test } from 'supertest';
import { expectError, type ErrorBody } from '../support/http-expectations';
import { TestApp } from '../support/test-app';

/** `{"a":[[…]]}` nested `depth` levels deep, the outer object being level 1. */
const nested = (depth: number) => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
const DEPTH_MESSAGE = 'Request body is nested too deeply';

type Send = (t: TestApp, keyId: string, rootKeyId: string) => Test;
const keys = '/v1/tenants/acme/keys';

/** Every route that takes a body, with the method and path it is reached by. */
// prettier-ignore
const WRITE_ROUTES: readonly (readonly [string, Send])[] = [
  ['POST /v1/tenants', (t) => t.as().post('/v1/tenants')],
  ['POST /v1/tenants/:tenantId/keys', (t) => t.as().post(keys)],
  ['PATCH /v1/tenants/:tenantId/keys/:keyId', (t, id) => t.as().patch(`${keys}/${id}`)],
  ['DELETE /v1/tenants/:tenantId/keys/:keyId', (t, id) => t.as().delete(`${keys}/${id}`)],
  ['POST /v1/tenants/:tenantId/keys/:keyId/rotate', (t, id) => t.as().post(`${keys}/${id}/rotate`)],
  ['POST /v1/keys/verify', (t) => t.as().post('/v1/keys/verify')],
  ['POST /v1/usage', (t) => t.as().post('/v1/usage')],
  ['POST /v1/root-keys', (t) => t.as().post('/v1/root-keys')],
  ['DELETE /v1/root-keys/:rootKeyId', (t, _id, rootKeyId) => t.as().delete(`/v1/root-keys/${rootKeyId}`)],
];

/** What the issue found answering 500, each now a 400 that appends nothing. */
describe('No 5xx from input', () => {
  let t: TestApp;
  let keyId: string;
  let rootKeyId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createTenant('acme');
    keyId = (await t.createKey('acme')).id;
    rootKeyId = (await t.rootKey(['keys:read'])).id;
  });
  afterAll(() => t.close());

  async function refusedWithoutEvents(send: () => Test, status: number, code: string) {
    const before = await t.countEvents();
    const body = expectError(await send(), status, code);
    expect(await t.countEvents()).toBe(before);
    return body;
  }

  describe('JSON nested beyond 64 levels: 400 before validation, on every write route', () => {
    it.each(WRITE_ROUTES)('%s, 5,000 levels', async (_route, send) => {
      const body = await refusedWithoutEvents(
        () => send(t, keyId, rootKeyId).set('Content-Type', 'application/json').send(nested(5000)),
        400,
        'VALIDATION_FAILED',
      );
      expect(body.error).toBe(DEPTH_MESSAGE);
      expect(body.details).toEqual([{ field: 'body', message: 'JSON may nest at most 64 levels' }]);
    });

    it('65 levels are refused as too deep, 64 are handed on to validation', async () => {
      const send = (depth: number) =>
        t.as().post(keys).set('Content-Type', 'application/json').send(nested(depth));
      expect(expectError(await send(65), 400, 'VALIDATION_FAILED').error).toBe(DEPTH_MESSAGE);
      const handedOn: ErrorBody = expectError(await send(64), 400, 'VALIDATION_FAILED');
      expect(handedOn.error).toBe('Request validation failed');
    });

    it('brackets inside strings are not nesting', async () => {
      const name = '['.repeat(90);
      const res = await t.as().post(keys, { name });
      expect(res.status).toBe(201);
      expect((res.body as { name: string }).name).toBe(name);
    });
  });

  it.each([['[]'], ['[[]]'], ['[VALID]'], ['null'], ['"x"'], ['7']])(
    'POST /v1/usage with an entry %s: 400 naming entries',
    async (entry) => {
      const valid = JSON.stringify({ keyId, endpoint: '/orders', status: 200 });
      const body = await refusedWithoutEvents(
        () =>
          t
            .as()
            .post('/v1/usage')
            .set('Content-Type', 'application/json')
            .send(`{"entries":[${entry.replace('VALID', valid)}]}`),
        400,
        'VALIDATION_FAILED',
      );
      expect(body.details?.map((d) => d.field)).toEqual([expect.stringMatching(/^entries\.0/)]);
    },
  );

  it.each([
    ['99999999999999999999'],
    ['9223372036854775808'],
    ['1:99999999999999999999'],
    ['99999999999999999999:1'],
  ])('GET …/audit?after=%s (beyond any position): 400 naming after', async (after) => {
    const res = await t.as().get(`/v1/tenants/acme/audit?after=${after}`);
    const body = expectError(res, 400, 'VALIDATION_FAILED');
    expect(body.details?.map((d) => d.field)).toEqual(['after']);
  });

  it('GET …/audit?after=9223372036854775807 (the last position a store can hold): 200', async () => {
    const res = await t.as().get('/v1/tenants/acme/audit?after=9223372036854775807');
    expect(res.status).toBe(200);
  });

  describe('a 70 KB Authorization header', () => {
    let port: number;
    let server: Server;

    beforeAll(async () => {
      server = t.app.getHttpServer() as Server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    /**
     * Sends `request` in two writes a moment apart, as a client streaming a large header does
     * (a server that closes with unread bytes, or that gets bytes after closing, resets the
     * connection), then reads until the server ends it.
     */
    function exchange(request: string): Promise<{ text: string; error?: string; ended: boolean }> {
      return new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        const chunks: Buffer[] = [];
        let error: string | undefined;
        let ended = false;
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
        socket.on('end', () => (ended = true));
        socket.on('close', () =>
          resolve({ text: Buffer.concat(chunks).toString(), ended, ...(error ? { error } : {}) }),
        );
        socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
        const half = Math.min(request.length, 32_768);
        socket.write(request.slice(0, half));
        setTimeout(() => socket.end(request.slice(half)), 200);
      });
    }

    it('answers 431 with the error shape, then closes the connection cleanly', async () => {
      const key = `klr_${'a'.repeat(70_000)}`;
      const { text, error, ended } = await exchange(
        `GET /v1/tenants/acme HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${key}\r\n\r\n`,
      );
      expect(error).toBeUndefined();
      expect(ended).toBe(true);
      const [head, body] = text.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 431 /);
      expect(head).toMatch(/\r\nconnection: close/i);
      expect(head).toMatch(/\r\ncontent-type: application\/json/i);
      const parsed = JSON.parse(body) as ErrorBody;
      expect(parsed).toEqual({
        error: 'Request headers exceed the size limit',
        code: 'HEADERS_TOO_LARGE',
        requestId: expect.any(String),
      });
      expect(text).not.toContain('aaaaaaaa');
    });

    it('bytes after a complete request: its own answer, not a 400 ahead of it, then a clean close', async () => {
      // A body with neither Content-Length nor Transfer-Encoding is not part of the request.
      const { text, error, ended } = await exchange(
        `GET /v1/tenants/acme HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${t.admin.key}\r\n` +
          `Connection: close\r\n\r\n{"not":"a request"}`,
      );
      expect(error).toBeUndefined();
      expect(ended).toBe(true);
      expect(text).toMatch(/^HTTP\/1\.1 200 /);
      expect(text.match(/HTTP\/1\.1/g)).toHaveLength(1);
      expect(JSON.parse(text.split('\r\n\r\n')[1])).toMatchObject({ tenantId: 'acme' });
    });

    it('a request that is not HTTP: 400 with the error shape, then a clean close', async () => {
      const { text, error, ended } = await exchange('HELLO\r\n\r\n');
      expect(error).toBeUndefined();
      expect(ended).toBe(true);
      expect(text).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(text.split('\r\n\r\n')[1])).toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });
});
