import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { bodyText, oddString, type FuzzTargets, type Kind } from './fuzz-bodies';

/** A request as the fuzz suite sends it: every part of it may be hostile. */
export interface FuzzRequest {
  readonly method: string;
  /** Path and query string, as sent on the request line. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** Sent chunked (no Content-Length). */
  readonly chunked: boolean;
}

interface Route {
  readonly method: string;
  /** With `:tenantId`, `:keyId`, `:rootKeyId` to fill in. */
  readonly path: string;
  readonly body?: Kind;
  readonly query?: readonly string[];
}

/** Every route of the controllers (`grep -rn "@Get\|@Post\|@Patch\|@Delete" src`). */
// prettier-ignore
export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/ready' },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/v1/audit/public-keys' },
  { method: 'POST', path: '/v1/tenants', body: 'tenant' },
  { method: 'GET', path: '/v1/tenants/:tenantId' },
  { method: 'POST', path: '/v1/tenants/:tenantId/keys', body: 'key' },
  { method: 'GET', path: '/v1/tenants/:tenantId/keys', query: ['status', 'environment', 'limit', 'cursor'] },
  { method: 'GET', path: '/v1/tenants/:tenantId/keys/:keyId', query: ['asOf'] },
  { method: 'PATCH', path: '/v1/tenants/:tenantId/keys/:keyId', body: 'patch' },
  { method: 'DELETE', path: '/v1/tenants/:tenantId/keys/:keyId', body: 'revoke' },
  { method: 'POST', path: '/v1/tenants/:tenantId/keys/:keyId/rotate', body: 'rotate' },
  { method: 'GET', path: '/v1/tenants/:tenantId/keys/:keyId/history' },
  { method: 'GET', path: '/v1/tenants/:tenantId/audit', query: ['from', 'to', 'type', 'keyId', 'after', 'limit'] },
  { method: 'POST', path: '/v1/keys/verify', body: 'verify' },
  { method: 'POST', path: '/v1/usage', body: 'usage' },
  { method: 'GET', path: '/v1/tenants/:tenantId/usage', query: ['from', 'to', 'granularity', 'keyId', 'groupBy'] },
  { method: 'GET', path: '/v1/tenants/:tenantId/usage/keys/:keyId' },
  { method: 'GET', path: '/v1/tenants/:tenantId/usage/anomalies' },
  { method: 'POST', path: '/v1/root-keys', body: 'rootKey' },
  { method: 'DELETE', path: '/v1/root-keys/:rootKeyId', body: 'revoke' },
];

const CONTENT_TYPES = [
  ...[
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/json;',
  ],
  ...[
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/json; charset',
  ],
  ...[
    'application/json; charset="utf-8"',
    'application/jsonx',
    'application/x-ndjson',
    'text/plain',
  ],
  ...['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '*/*', ';;;', ''],
];
const ENCODINGS = ['identity', 'gzip', 'deflate', 'br', 'zstd', 'gzip, br', 'GZIP', 'compress', ''];
const ACCEPTS = ['application/json', 'application/x-ndjson', '*/*', 'text/html', ''];
const COMPRESS: Record<string, (text: Buffer) => Buffer> = {
  gzip: (b) => gzipSync(b),
  deflate: (b) => deflateSync(b),
  br: (b) => brotliCompressSync(b),
};

/** Header values Node's client will send: visible ASCII, space, tab and Latin-1. */
const headerValue = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('\t', 'é', 'ÿ'),
  ),
  maxLength: 300,
});

/** As encodeURIComponent, with a lone surrogate (which it cannot encode) as U+FFFD. */
const encode = (text: string) =>
  encodeURIComponent(
    text.replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    ),
  );

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const oneOfOr = (values: readonly string[]) => fc.oneof(fc.constantFrom(...values), headerValue);

function segment(real: string, fresh: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const raw = fc.constantFrom(
    '%',
    '%zz',
    '%2F',
    '..',
    '.',
    '%00',
    ';',
    '*',
    'ACME',
    'a'.repeat(300),
  );
  return fc.oneof(
    { arbitrary: fc.constant(real), weight: 4 },
    { arbitrary: fresh, weight: 2 },
    { arbitrary: oddString.map(encode), weight: 2 },
    { arbitrary: raw, weight: 1 },
  );
}

/** Counts and positions, near the 64-bit edges as often as not. */
const bigNumber = fc
  .oneof(fc.bigInt({ min: 0n, max: 10n ** 21n }), fc.bigInt({ min: 2n ** 62n, max: 10n ** 20n }))
  .map(String);
const queryValue = fc.oneof(
  oddString.map(encode),
  bigNumber,
  fc.tuple(bigNumber, bigNumber).map(([a, b]) => `${a}:${b}`),
  fc.date({ noInvalidDate: true }).map((d) => encodeURIComponent(d.toISOString())),
  fc.constantFrom('0', '-1', '1e3', '%', '%zz', 'a%5B%5D', 'day', 'key', 'revoked', 'live'),
);
const queryString = (names: readonly string[]) =>
  fc
    .array(
      fc.tuple(
        fc.oneof(
          { arbitrary: fc.constantFrom(...names), weight: 3 },
          { arbitrary: fc.constantFrom('api_key', 'x', 'limit[]', 'a[b]'), weight: 1 },
          { arbitrary: oddString.map(encode), weight: 1 },
        ),
        queryValue,
      ),
      { maxLength: 3 },
    )
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([n, v]) => `${n}=${v}`).join('&')}`));

/** Any request to any route, authorised with `rootKey`. */
export function fuzzRequest(rootKey: string, t: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  // Routes with a body have more to get wrong: three times as likely.
  const route = fc.oneof(
    { arbitrary: fc.constantFrom(...ROUTES.filter((r) => r.body !== undefined)), weight: 3 },
    { arbitrary: fc.constantFrom(...ROUTES.filter((r) => r.body === undefined)), weight: 1 },
  );
  return route.chain((route) =>
    fc
      .record({
        method: fc.oneof(
          { arbitrary: fc.constant(route.method), weight: 9 },
          {
            arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
            weight: 1,
          },
        ),
        tenantId: segment(t.tenantId, fc.constantFrom('globex', 'no-such-tenant')),
        keyId: segment(t.keyId, fc.uuid()),
        rootKeyId: segment(t.rootKeyId, fc.uuid()),
        query: route.query ? queryString(route.query) : fc.constant(''),
        body: route.body
          ? fc.option(bodyText(route.body, t), { nil: undefined, freq: 10 })
          : fc.option(bodyText(undefined, t), { nil: undefined, freq: 2 }),
        contentType: fc.oneof(
          { arbitrary: fc.constant('application/json'), weight: 12 },
          { arbitrary: optional(oneOfOr(CONTENT_TYPES)), weight: 3 },
        ),
        encoding: fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 3 },
          { arbitrary: oneOfOr(ENCODINGS), weight: 1 },
        ),
        compress: fc.boolean(),
        accept: optional(oneOfOr(ACCEPTS)),
        requestId: optional(headerValue),
        userAgent: optional(headerValue),
        apiKey: optional(headerValue),
        chunked: fc.boolean(),
      })
      .map((r): FuzzRequest => {
        const path = route.path
          .replace(':tenantId', r.tenantId)
          .replace(':keyId', r.keyId)
          .replace(':rootKeyId', r.rootKeyId);
        let body: Buffer | undefined = r.body === undefined ? undefined : Buffer.from(r.body);
        const compress = r.encoding === undefined ? undefined : COMPRESS[r.encoding];
        if (body !== undefined && compress !== undefined && r.compress) body = compress(body);
        const headers: Record<string, string> = { authorization: `Bearer ${rootKey}` };
        const set = (name: string, value: string | undefined) => {
          if (value !== undefined) headers[name] = value;
        };
        set('content-type', body === undefined ? undefined : r.contentType);
        set('content-encoding', r.encoding);
        set('accept', r.accept);
        set('x-request-id', r.requestId);
        set('user-agent', r.userAgent);
        set('x-api-key', r.apiKey);
        return { method: r.method, path: path + r.query, headers, body, chunked: r.chunked };
      }),
  );
}
