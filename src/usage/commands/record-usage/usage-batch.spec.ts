import { checkBatch, type BatchScope, type ReportedUse } from './usage-batch';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const ACME_KEY = '00000000-0000-4000-8000-00000000000a';
const GLOBEX_KEY = '00000000-0000-4000-8000-00000000000b';
const UNKNOWN_KEY = '00000000-0000-4000-8000-00000000000c';
const owners = new Map([
  [ACME_KEY, 'acme'],
  [GLOBEX_KEY, 'globex'],
]);
const scope: BatchScope = { owners, binding: '*', now: NOW };
const use = (overrides: Partial<ReportedUse> = {}): ReportedUse => ({
  keyId: ACME_KEY,
  endpoint: 'GET /orders',
  status: 200,
  ...overrides,
});
const problemsOf = (reported: ReportedUse[], batchScope: BatchScope = scope) => {
  const check = checkBatch(reported, batchScope);
  return check.ok ? [] : check.problems;
};

describe('checkBatch', () => {
  it('accepts a valid batch: owner resolved, status classed, time defaulted to now', () => {
    const check = checkBatch(
      [use(), use({ keyId: GLOBEX_KEY, status: 503, latencyMs: 12.5, at: '2026-03-01T11:00:00Z' })],
      scope,
    );
    expect(check).toEqual({
      ok: true,
      uses: [
        {
          keyId: ACME_KEY,
          tenantId: 'acme',
          endpoint: 'GET /orders',
          status: '2xx',
          atMs: NOW.getTime(),
        },
        {
          keyId: GLOBEX_KEY,
          tenantId: 'globex',
          endpoint: 'GET /orders',
          status: '5xx',
          atMs: Date.parse('2026-03-01T11:00:00Z'),
          latencyMs: 12.5,
        },
      ],
    });
  });

  it('names every bad entry and field, and accepts none of the batch', () => {
    const problems = problemsOf([
      use(),
      use({ keyId: UNKNOWN_KEY }),
      use({ status: 99 }),
      use({ status: 600, latencyMs: -1 }),
      use({ at: '2026-03-02T12:00:01Z' }),
      use({ at: '2026-02-28T11:59:59Z', endpoint: '' }),
      use({ status: 200.5, endpoint: 'x'.repeat(257) }),
    ]);
    expect(problems).toEqual([
      { field: 'entries.1.keyId', message: 'no such API key' },
      { field: 'entries.2.status', message: 'status must be an integer from 100 to 599' },
      { field: 'entries.3.status', message: 'status must be an integer from 100 to 599' },
      { field: 'entries.3.latencyMs', message: 'latencyMs must be from 0 to 86400000' },
      { field: 'entries.4.at', message: 'at must be within 24 hours of now' },
      { field: 'entries.5.endpoint', message: 'endpoint must be 1 to 256 characters' },
      { field: 'entries.5.at', message: 'at must be within 24 hours of now' },
      { field: 'entries.6.endpoint', message: 'endpoint must be 1 to 256 characters' },
      { field: 'entries.6.status', message: 'status must be an integer from 100 to 599' },
    ]);
  });

  it('accepts the bounds: statuses 100 and 599, latency 0, exactly 24 hours off', () => {
    const check = checkBatch(
      [
        use({ status: 100, latencyMs: 0, at: '2026-03-02T12:00:00Z' }),
        use({ status: 599, at: '2026-02-28T12:00:00Z' }),
      ],
      scope,
    );
    expect(check.ok).toBe(true);
  });

  it('refuses keys of another tenant exactly like unknown keys', () => {
    const bound = { ...scope, binding: ['acme'] };
    expect(problemsOf([use({ keyId: GLOBEX_KEY })], bound)).toEqual([
      { field: 'entries.0.keyId', message: 'no such API key' },
    ]);
    expect(problemsOf([use({ keyId: GLOBEX_KEY })], { ...scope, tenantId: 'acme' })).toEqual([
      { field: 'entries.0.keyId', message: 'no such API key' },
    ]);
    expect(problemsOf([use()], { ...scope, tenantId: 'acme' })).toEqual([]);
  });

  it('refuses an empty batch and one over 1000 entries', () => {
    expect(problemsOf([])).toEqual([
      { field: 'entries', message: 'entries must hold from 1 to 1000 uses (got 0)' },
    ]);
    expect(problemsOf(Array.from({ length: 1001 }, () => use()))).toEqual([
      { field: 'entries', message: 'entries must hold from 1 to 1000 uses (got 1001)' },
    ]);
    expect(
      checkBatch(
        Array.from({ length: 1000 }, () => use()),
        scope,
      ).ok,
    ).toBe(true);
  });

  it('refuses an entry that is not an object, which the DTO lets through as an array', () => {
    const notObjects = [[], [use()], null] as unknown as ReportedUse[];
    expect(problemsOf([use(), ...notObjects])).toEqual(
      [1, 2, 3].map((index) => ({
        field: `entries.${index}`,
        message: 'each entry must be an object',
      })),
    );
  });
});
