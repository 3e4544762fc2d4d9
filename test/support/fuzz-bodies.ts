import fc from 'fast-check';

/** What the fuzzed routes' path parameters and bodies may name when they name something real. */
export interface FuzzTargets {
  readonly tenantId: string;
  readonly keyId: string;
  readonly rootKeyId: string;
}

/** The body each write route takes. */
export type Kind =
  'tenant' | 'key' | 'patch' | 'revoke' | 'rotate' | 'verify' | 'usage' | 'rootKey';

/** A valid body of each kind, the start of a mutated one. */
function validBodies(t: FuzzTargets): Record<Kind, Record<string, unknown>> {
  const rateLimit = { limit: 10, windowSeconds: 60 };
  return {
    tenant: { tenantId: 'fuzz-tenant', name: 'Fuzz', keyPrefix: 'fz' },
    key: {
      name: 'fuzz',
      scopes: ['orders:read'],
      environment: 'test',
      rateLimit,
      metadata: { a: 1 },
    },
    patch: { name: 'renamed', allowedIps: ['10.0.0.0/8'], expiresAt: '2026-06-01T00:00:00Z' },
    revoke: { reason: 'fuzz' },
    rotate: { gracePeriodSeconds: 60 },
    verify: { key: 'kl_test_x', tenantId: t.tenantId, requiredScopes: ['a:read'], ip: '10.0.0.1' },
    usage: { entries: [{ keyId: t.keyId, endpoint: '/orders', status: 200, latencyMs: 3 }] },
    rootKey: { name: 'fuzz root', abilities: ['keys:read'], tenants: [t.tenantId], rateLimit },
  };
}

const FIELDS = [
  ...['tenantId', 'name', 'keyPrefix', 'scopes', 'environment', 'kind', 'preset', 'expiresAt'],
  ...['rateLimit', 'allowedIps', 'allowedOrigins', 'metadata', 'reason', 'gracePeriodSeconds'],
  ...['key', 'requiredScopes', 'ip', 'origin', 'endpoint', 'entries', 'abilities', 'tenants'],
  ...['limit', 'windowSeconds', 'keyId', 'status', 'latencyMs', 'at', 'constructor', 'unknown'],
];

/** Strings that have broken parsers and validators before. */
const ODD = [
  ...['', ' ', '\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', '\u2028', '𝕜𝕖𝕪', 'é', 'e\u0301'],
  ...['kl_live_', 'klr_', '../..', '%00', '%zz', 'null', '[]', '{}', '__proto__', '-1', '1e309'],
  ...['2026-13-45T99:99:99Z', '9999-12-31T23:59:59.999Z', '10.0.0.0/33', '::ffff:1.2.3.4'],
];

export const oddString = fc.oneof(
  fc.constantFrom(...ODD),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer({ min: 100, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

/** Any JSON value, leaning to the kinds that break things. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  oddString,
  fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 2 ** 53, 2 ** 64, -(2 ** 63), 1e308),
  fc.array(oddString, { maxLength: 5 }),
  fc.dictionary(oddString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
);

/** Objects and arrays nested `depth` levels. */
const deepText = fc
  .tuple(fc.integer({ min: 1, max: 5_000 }), fc.boolean())
  .map(([depth, objects]) =>
    objects
      ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
      : `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`,
  );

/** Numbers JSON.stringify never writes. */
const hugeNumberText = fc
  .tuple(
    fc.constantFrom('name', 'gracePeriodSeconds', 'limit', 'status', 'entries', 'scopes'),
    fc.constantFrom('1e309', '-1e309', '123456789012345678901234567890', '1e-400', '-0', '0.1e1'),
  )
  .map(([field, number]) => `{"${field}":${number}}`);

/** Shapes where another belongs: what a field holds replaced by one of these. */
const SHAPES: readonly unknown[] = [[], [[]], [{}], [[{}]], {}, { a: [] }, [null], [1, 'a']];

/** The same body with every object inside an array wrapped in an array of its own. */
function wrapItems(value: unknown, inArray = false): unknown {
  if (Array.isArray(value)) return value.map((item) => wrapItems(item, true));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([name, field]) => [name, wrapItems(field)]);
  return inArray ? [Object.fromEntries(entries)] : Object.fromEntries(entries);
}

/** The same body with each object value turned into the array of its values. */
function objectsToArrays(value: Record<string, unknown>): Record<string, unknown> {
  const swap = (field: unknown) =>
    typeof field === 'object' && field !== null && !Array.isArray(field)
      ? Object.values(field)
      : field;
  return Object.fromEntries(Object.entries(value).map(([name, field]) => [name, swap(field)]));
}

/** Any body, mostly one of `kind` (a valid one, mutated, reshaped) or none of any kind. */
export function bodyText(kind: Kind | undefined, t: FuzzTargets): fc.Arbitrary<string | Buffer> {
  const base = validBodies(t)[kind ?? 'key'];
  const mutated = fc
    .tuple(fc.constantFrom(...FIELDS), anyValue)
    .map(([field, value]) => JSON.stringify({ ...base, [field]: value }));
  const nestedMutated = fc
    .tuple(
      fc.constantFrom('rateLimit', 'entries', 'metadata'),
      fc.constantFrom(...FIELDS),
      anyValue,
    )
    .map(([outer, field, value]) =>
      JSON.stringify({ ...base, [outer]: [{ [field]: value }, { [field]: value }] }),
    );
  const reshaped = fc.oneof(
    fc.constant(wrapItems(base)),
    fc.constant(objectsToArrays(base)),
    fc.constant([base]),
    fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom(...SHAPES)).map(([field, shape]) => ({
      ...base,
      [field]: shape,
    })),
  );
  return fc.oneof(
    { arbitrary: fc.constant(JSON.stringify(base)), weight: 1 },
    { arbitrary: reshaped.map((value) => JSON.stringify(value)), weight: 3 },
    { arbitrary: mutated, weight: 5 },
    { arbitrary: nestedMutated, weight: 2 },
    { arbitrary: anyValue.map((value) => JSON.stringify(value) ?? ''), weight: 2 },
    { arbitrary: deepText, weight: 1 },
    { arbitrary: hugeNumberText, weight: 1 },
    {
      arbitrary: fc
        .integer({ min: 60_000, max: 200_000 })
        .map((n) => `{"name":"${'x'.repeat(n)}"}`),
      weight: 1,
    },
    {
      arbitrary: mutated.chain((text) => fc.nat(text.length).map((n) => text.slice(0, n))),
      weight: 1,
    },
    { arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)), weight: 1 },
  );
}
