import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { jsonBodyReader } from './json-body-reader';

interface Outcome {
  readonly error: { status?: number; type?: string; code?: string } | null;
  readonly body: unknown;
  /** Whether the whole request had been read when the reader handed on. */
  readonly complete: boolean;
}

const LIMIT = 1024;
const LARGER = 4096;

describe('jsonBodyReader', () => {
  let server: Server;
  let port: number;
  let askedForLarger: number;

  beforeAll(async () => {
    const read = jsonBodyReader({
      bytes: LIMIT,
      larger: {
        bytes: LARGER,
        applies: (request) => {
          askedForLarger++;
          return request.url === '/batch';
        },
      },
    });
    server = createServer((request: IncomingMessage & { body?: unknown }, response) => {
      read(request, response, (error?: unknown) => {
        const e = error as { status: number; type: string; code?: string } | undefined;
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            error: e ? { status: e.status, type: e.type, code: e.code } : null,
            body: request.body,
            complete: request.complete,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    askedForLarger = 0;
  });

  /** Sends `body` with `headers`; without a content-length it goes chunked. */
  function send(
    body: string | Buffer,
    headers: Record<string, string>,
    path = '/',
    chunked = false,
    method = 'POST',
  ): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest({ port, host: '127.0.0.1', method, path, headers });
      outgoing.on('error', reject);
      outgoing.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(JSON.parse(text) as Outcome));
      });
      if (!chunked) outgoing.setHeader('content-length', Buffer.byteLength(body));
      if (chunked && body.length > 1) {
        // Two writes, so that the limit is met while the body streams in.
        const half = Math.floor(body.length / 2);
        outgoing.write(body.slice(0, half));
        outgoing.end(body.slice(half));
      } else {
        outgoing.end(body);
      }
    });
  }

  const json = { 'content-type': 'application/json' };

  it('parses a JSON object into request.body', async () => {
    const outcome = await send('{"key":"k","requiredScopes":["a:b"]}', json);
    expect(outcome).toEqual({
      error: null,
      body: { key: 'k', requiredScopes: ['a:b'] },
      complete: true,
    });
    expect(askedForLarger).toBe(0);
  });

  it.each([
    ['a charset parameter', 'application/json; charset=utf-8'],
    ['upper case and a quoted charset', 'Application/JSON;charset="UTF-8"'],
  ])('accepts %s', async (_what, type) => {
    const outcome = await send('[1,2]', { 'content-type': type });
    expect(outcome.body).toEqual([1, 2]);
  });

  it('parses a body sent in chunks, and strips a byte order mark', async () => {
    const outcome = await send('\ufeff{"a":"é"}', json, '/', true);
    expect(outcome).toMatchObject({ error: null, body: { a: 'é' } });
  });

  it('gives {} for an empty JSON body, as body-parser does', async () => {
    expect((await send('', json)).body).toEqual({});
    expect((await send(' \n', json)).body).toEqual({});
  });

  it.each([
    ['another type', { 'content-type': 'text/plain' }],
    ['a type that only starts like JSON', { 'content-type': 'application/jsonx' }],
    ['no type', {}],
  ])('leaves a body of %s unread and unparsed', async (_what, headers) => {
    const outcome = await send('{"a":1}', headers);
    expect(outcome.error).toBeNull();
    expect(outcome.body).toBeUndefined();
  });

  it.each([
    ['malformed JSON', '{"a":'],
    ['a string at the top', '"text"'],
    ['a number at the top', '42'],
    ['a byte order mark alone before a string', '\ufeff"text"'],
    ['whitespace JSON does not allow', '\u00a0{}'],
  ])('refuses %s with 400 entity.parse.failed', async (_what, body) => {
    const outcome = await send(body, json);
    expect(outcome.error).toEqual({ status: 400, type: 'entity.parse.failed' });
    expect(outcome.body).toBeUndefined();
  });

  it('refuses JSON nested deeper than 64 levels with a validation error, before parsing', async () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect((await send(nested(64), json)).error).toBeNull();
    const outcome = await send(nested(65), json);
    expect(outcome.error).toEqual({ code: 'VALIDATION_FAILED' });
    expect(outcome.body).toBeUndefined();
  });

  it('leaves the body of a GET request unread, as Fastify does', async () => {
    const outcome = await send('{', json, '/', false, 'GET');
    expect(outcome.error).toBeNull();
    expect(outcome.body).toBeUndefined();
  });

  it('refuses a declared length over the limit with 413, after reading the request', async () => {
    const outcome = await send(JSON.stringify({ a: 'x'.repeat(LIMIT) }), json);
    expect(outcome).toEqual({
      error: { status: 413, type: 'entity.too.large' },
      complete: true,
    });
  });

  it('refuses a chunked body once it goes over the limit', async () => {
    const outcome = await send(JSON.stringify({ a: 'x'.repeat(LIMIT) }), json, '/', true);
    expect(outcome.error).toEqual({ status: 413, type: 'entity.too.large' });
    expect(outcome.complete).toBe(true);
  });

  it('takes a body exactly at the limit', async () => {
    const body = JSON.stringify({ a: 'x'.repeat(LIMIT - 8) });
    expect(body.length).toBe(LIMIT);
    expect((await send(body, json)).error).toBeNull();
  });

  it('applies the larger limit to the requests it is for, declared or chunked', async () => {
    const body = JSON.stringify({ a: 'x'.repeat(LIMIT * 2) });
    expect((await send(body, json, '/batch')).body).toEqual({ a: 'x'.repeat(LIMIT * 2) });
    expect((await send(body, json, '/batch', true)).error).toBeNull();
    expect((await send(body, json, '/other', true)).error?.status).toBe(413);
    const tooLarge = JSON.stringify({ a: 'x'.repeat(LARGER) });
    expect((await send(tooLarge, json, '/batch')).error?.status).toBe(413);
    expect((await send(tooLarge, json, '/batch', true)).error?.status).toBe(413);
  });

  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
  ])('inflates a %s body, and applies the limit to what it inflates to', async (name, zip) => {
    const small = await send(zip('{"a":1}'), { ...json, 'content-encoding': name });
    expect(small.body).toEqual({ a: 1 });
    const bomb = zip(JSON.stringify({ a: 'x'.repeat(LIMIT * 8) }));
    expect(bomb.length).toBeLessThan(LIMIT);
    const outcome = await send(bomb, { ...json, 'content-encoding': name });
    expect(outcome.error).toEqual({ status: 413, type: 'entity.too.large' });
  });

  it('refuses a body that does not inflate with 400', async () => {
    const outcome = await send('not gzip at all', { ...json, 'content-encoding': 'gzip' });
    expect(outcome.error).toEqual({ status: 400, type: 'entity.parse.failed' });
  });

  it.each([
    ['an unknown content encoding', { 'content-encoding': 'compress' }, 'encoding.unsupported'],
    [
      'a charset other than UTF-8',
      { 'content-type': 'application/json; charset=utf-16le' },
      'charset.unsupported',
    ],
  ])('refuses %s with 415', async (_what, headers, type) => {
    const outcome = await send('{"a":1}', { ...json, ...headers });
    expect(outcome.error).toEqual({ status: 415, type });
    expect(outcome.complete).toBe(true);
  });
});
