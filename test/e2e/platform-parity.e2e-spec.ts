import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { Test } from 'supertest';
import { expectError } from '../support/http-expectations';
import { TestApp, testConfig } from '../support/test-app';

/**
 * Requests on which Express and Fastify once answered differently. The e2e suite runs once per
 * platform, so every row holds on both: same request, same status, same code, same message.
 */
interface Case {
  readonly label: string;
  readonly send: (t: TestApp, keyId: string) => Test;
  readonly status: number;
  /** For an error: its code and message. */
  readonly code?: string;
  readonly error?: string;
}

const keys = '/v1/tenants/acme/keys';
const NOT_JSON = 'Request body is not valid JSON';
const ENCODING = 'Unsupported request body encoding';
const MEDIA_TYPE = 'Content-Type must be application/json';
const TOO_LARGE = 'Request body exceeds the size limit';
const newKey = JSON.stringify({ name: 'parity' });

/** POST /v1/tenants/acme/keys with this body and these headers. */
const create =
  (body: string | Buffer, headers: Record<string, string> = {}) =>
  (t: TestApp) => {
    let test = t.as().post(keys).set('Content-Type', 'application/json');
    for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
    // As is: superagent would send a Buffer as JSON (`{"type":"Buffer",…}`) to a JSON type.
    return test.serialize((raw: string) => raw).send(body);
  };
const json = (test: Test, text: string) => test.set('Content-Type', 'application/json').send(text);

// A table reads best one case per line.
// prettier-ignore
const CASES: readonly Case[] = [
  { label: 'charset=utf-8', send: create(newKey, { 'Content-Type': 'application/json; charset=utf-8' }), status: 201 },
  { label: 'APPLICATION/JSON in capitals', send: create(newKey, { 'Content-Type': 'APPLICATION/JSON' }), status: 201 },
  { label: 'charset=latin1', send: create(newKey, { 'Content-Type': 'application/json; charset=latin1' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', error: ENCODING },
  { label: 'charset=utf-16 with UTF-16 bytes', send: create(Buffer.from(newKey, 'utf16le'), { 'Content-Type': 'application/json; charset=utf-16' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', error: ENCODING },
  { label: 'Content-Encoding: identity', send: create(newKey, { 'Content-Encoding': 'identity' }), status: 201 },
  { label: 'a real gzip body', send: create(gzipSync(newKey), { 'Content-Encoding': 'gzip' }), status: 201 },
  { label: 'a real deflate body', send: create(deflateSync(newKey), { 'Content-Encoding': 'deflate' }), status: 201 },
  { label: 'a real br body', send: create(brotliCompressSync(newKey), { 'Content-Encoding': 'br' }), status: 201 },
  { label: 'plain JSON labelled gzip', send: create(newKey, { 'Content-Encoding': 'gzip' }), status: 400, code: 'VALIDATION_FAILED', error: NOT_JSON },
  { label: 'Content-Encoding: zstd', send: create(newKey, { 'Content-Encoding': 'zstd' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', error: ENCODING },
  { label: 'a gzip body that inflates past 64 KiB', send: create(gzipSync(JSON.stringify({ name: 'x'.repeat(70_000) })), { 'Content-Encoding': 'gzip' }), status: 413, code: 'PAYLOAD_TOO_LARGE', error: TOO_LARGE },
  { label: 'a body over 64 KiB', send: create(JSON.stringify({ name: 'x'.repeat(70_000) })), status: 413, code: 'PAYLOAD_TOO_LARGE', error: TOO_LARGE },
  { label: 'a null body (create)', send: create('null'), status: 400, code: 'VALIDATION_FAILED', error: NOT_JSON },
  { label: 'a null body (revoke)', send: (t, id) => json(t.as().delete(`${keys}/${id}`), 'null'), status: 400, code: 'VALIDATION_FAILED', error: NOT_JSON },
  { label: 'a null body (rotate)', send: (t, id) => json(t.as().post(`${keys}/${id}/rotate`), 'null'), status: 400, code: 'VALIDATION_FAILED', error: NOT_JSON },
  { label: 'a null body (root key revoke)', send: (t) => json(t.as().delete(`/v1/root-keys/${t.admin.id}`), 'null'), status: 400, code: 'VALIDATION_FAILED', error: NOT_JSON },
  { label: 'a string body', send: create('"parity"'), status: 400, code: 'VALIDATION_FAILED', error: NOT_JSON },
  { label: 'a number body', send: create('42'), status: 400, code: 'VALIDATION_FAILED', error: NOT_JSON },
  { label: 'an empty JSON body (as {})', send: create(''), status: 400, code: 'VALIDATION_FAILED', error: 'Request validation failed' },
  { label: 'malformed JSON', send: create('{"name":'), status: 400, code: 'VALIDATION_FAILED', error: NOT_JSON },
  { label: 'JSON 65 levels deep', send: create(`{"a":${'['.repeat(64)}${']'.repeat(64)}}`), status: 400, code: 'VALIDATION_FAILED', error: 'Request body is nested too deeply' },
  { label: 'a "__proto__" member', send: create('{"name":"p","__proto__":{"admin":true}}'), status: 400, code: 'VALIDATION_FAILED', error: 'Request validation failed' },
  { label: 'a "__proto__" member spelt with escapes', send: create('{"name":"p","\\u005f_proto__":{}}'), status: 400, code: 'VALIDATION_FAILED', error: 'Request validation failed' },
  { label: 'a text/plain body', send: create(newKey, { 'Content-Type': 'text/plain' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', error: MEDIA_TYPE },
  { label: 'an application/jsonx body', send: create(newKey, { 'Content-Type': 'application/jsonx' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', error: MEDIA_TYPE },
  { label: 'an application/merge-patch+json body', send: (t, id) => t.as().patch(`${keys}/${id}`).set('Content-Type', 'application/merge-patch+json').send('{"name":"y"}'), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', error: MEDIA_TYPE },
  { label: 'a % in a path parameter (a URL that does not decode)', send: (t) => t.as().get('/v1/tenants/%/audit'), status: 400, code: 'VALIDATION_FAILED', error: 'Bad request' },
  { label: 'a path parameter of 300 chars', send: (t) => t.as().get(`/v1/tenants/${'a'.repeat(300)}`), status: 400, code: 'VALIDATION_FAILED', error: 'Request validation failed' },
  { label: 'malformed JSON on a GET (a GET body is not read)', send: (t, id) => json(t.as().get(`${keys}/${id}`), '{"a":'), status: 200 },
];

describe(`Platform parity (${testConfig().httpPlatform}): same request, same answer`, () => {
  let t: TestApp;
  let keyId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createTenant('acme');
    keyId = (await t.createKey('acme', { name: 'existing' })).id;
  });
  afterAll(() => t.close());

  it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const before = await t.countEvents();
    const res = await c.send(t, keyId);
    if (c.code === undefined) {
      expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: c.status });
      return;
    }
    const body = expectError(res, c.status, c.code);
    expect(body.error).toBe(c.error);
    expect(await t.countEvents()).toBe(before);
  });
});
