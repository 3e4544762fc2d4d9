import type { UsageCount } from '../../domain/usage-recorded';
import { BucketCounters, type BucketCounter } from './bucket-counters';

const count = (overrides: Partial<UsageCount>): UsageCount => ({
  tenantId: 'acme',
  keyId: 'k1',
  endpoint: 'verify',
  status: 'unknown',
  minuteMs: 0,
  uses: 1,
  lastUsedMs: 0,
  latencyMsSum: 0,
  latencyCount: 0,
  ...overrides,
});

function visited(counters: BucketCounters, keyId?: string): BucketCounter[] {
  const found: BucketCounter[] = [];
  counters.forEach(keyId, (counter) => found.push({ ...counter }));
  return found;
}

describe('BucketCounters', () => {
  it('sums per key × endpoint × status class, whatever counter of the key came first', () => {
    const counters = new BucketCounters();
    counters.add(count({ uses: 2 }));
    counters.add(count({ endpoint: 'GET /a', status: '2xx', uses: 3, latencyMsSum: 9 }));
    counters.add(count({ endpoint: 'GET /a', status: '5xx', uses: 1 }));
    counters.add(count({ endpoint: 'GET /a', status: '2xx', uses: 4, latencyCount: 1 }));
    counters.add(count({ keyId: 'k2', uses: 5 }));
    counters.add(count({ uses: 1 }));
    const summed = (c: BucketCounter) => [c.keyId, c.endpoint, c.status, c.uses];
    expect(visited(counters).map(summed)).toEqual([
      ['k1', 'verify', 'unknown', 3],
      ['k1', 'GET /a', '2xx', 7],
      ['k1', 'GET /a', '5xx', 1],
      ['k2', 'verify', 'unknown', 5],
    ]);
    expect(visited(counters, 'k1')[1]).toMatchObject({ latencyMsSum: 9, latencyCount: 1 });
  });

  it('visits every counter of one key only, and none of an unknown key', () => {
    const counters = new BucketCounters();
    counters.add(count({ keyId: 'k1' }));
    counters.add(count({ keyId: 'k1', endpoint: 'other' }));
    counters.add(count({ keyId: 'k2' }));
    expect(visited(counters, 'k1').map((c) => c.endpoint)).toEqual(['verify', 'other']);
    expect(visited(counters, 'k3')).toEqual([]);
  });
});
