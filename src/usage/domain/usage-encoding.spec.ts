import canonicalize from 'canonicalize';
import { decodeUsage, encodeUsage, usesIn } from './usage-encoding';
import type { UsageCount } from './usage-recorded';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const count = (overrides: Partial<UsageCount>): UsageCount => ({
  tenantId: 'acme',
  keyId: '00000000-0000-4000-8000-00000000000a',
  endpoint: 'verify',
  status: 'unknown',
  minuteMs: T0,
  uses: 1,
  lastUsedMs: T0 + 41_500,
  latencyMsSum: 0,
  latencyCount: 0,
  ...overrides,
});

describe('UsageRecorded encoding', () => {
  const counts = [
    count({ uses: 3 }),
    count({
      tenantId: 'globex',
      endpoint: 'GET /a',
      status: '2xx',
      latencyMsSum: 40,
      latencyCount: 2,
    }),
    count({ minuteMs: T0 + 60_000, lastUsedMs: T0 + 60_000, uses: 2 }),
    count({ endpoint: 'POST /b', status: '5xx', uses: 4 }),
  ];

  it('groups rows by minute and tenant, latencies only where reported', () => {
    expect(encodeUsage(counts)).toEqual([
      {
        minute: '2026-03-01T12:00:00.000Z',
        rows: [
          ['00000000-0000-4000-8000-00000000000a', 'verify', 'unknown', 3, 41_500],
          ['00000000-0000-4000-8000-00000000000a', 'POST /b', '5xx', 4, 41_500],
        ],
        tenantId: 'acme',
      },
      {
        minute: '2026-03-01T12:00:00.000Z',
        rows: [['00000000-0000-4000-8000-00000000000a', 'GET /a', '2xx', 1, 41_500, 40, 2]],
        tenantId: 'globex',
      },
      {
        minute: '2026-03-01T12:01:00.000Z',
        rows: [['00000000-0000-4000-8000-00000000000a', 'verify', 'unknown', 2, 0]],
        tenantId: 'acme',
      },
    ]);
  });

  it('decodes to the very counters it was given', () => {
    const data = { groups: encodeUsage(counts), instanceId: 'node-1' };
    const decoded = decodeUsage(JSON.parse(JSON.stringify(data)) as typeof data);
    expect(decoded).toEqual(expect.arrayContaining(counts));
    expect(decoded).toHaveLength(counts.length);
    expect(usesIn(data)).toBe(10);
  });

  it('writes its objects in canonical key order, so that hashing it is a JSON.stringify', () => {
    const data = { groups: encodeUsage(counts), instanceId: 'node-1' };
    expect(JSON.stringify(data)).toBe(canonicalize(data));
  });
});
