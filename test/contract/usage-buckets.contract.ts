import { randomUUID } from 'node:crypto';
import type {
  UsageAggregateQuery,
  UsageAggregateRow,
  UsageBuckets,
  UsageRetention,
} from '../../src/usage/read-models/usage-buckets.port';
import { usageEntry, UsageEventLog } from '../support/usage-events';

export interface UsageBucketsFixture {
  readonly buckets: UsageBuckets;
  readonly cleanup: () => Promise<void>;
}

const HOUR_MS = 3_600_000;
const RETENTION: UsageRetention = {
  minute: 48 * HOUR_MS,
  hour: 90 * 24 * HOUR_MS,
  day: Number.POSITIVE_INFINITY,
};
const T0 = '2026-03-01T12:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

/** Rows in a canonical order, so that adapters may return them in any. */
function sorted(rows: readonly UsageAggregateRow[]): UsageAggregateRow[] {
  const id = (row: UsageAggregateRow) =>
    [row.bucket, row.keyId, row.endpoint, row.status].join('\n');
  return [...rows].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}

/** The behaviour every UsageBuckets adapter must have (see the port's JSDoc). */
export function usageBucketsContract(
  adapterName: string,
  open: (retention: UsageRetention) => Promise<UsageBucketsFixture>,
): void {
  describe(`UsageBuckets contract: ${adapterName}`, () => {
    let fixture: UsageBucketsFixture;
    let log: UsageEventLog;
    const keyA = randomUUID();
    const keyB = randomUUID();
    const tenant = `t-${randomUUID().slice(0, 8)}`;

    const query = (overrides: Partial<UsageAggregateQuery>) =>
      fixture.buckets
        .aggregate({
          tenantId: tenant,
          granularity: 'minute',
          from: new Date(at(-10_000)),
          to: new Date(at(10_000)),
          by: [],
          ...overrides,
        })
        .then(sorted);
    const applyAll = async () => {
      for (const event of log.events) await fixture.buckets.apply(event);
    };

    beforeEach(async () => {
      fixture = await open(RETENTION);
      log = new UsageEventLog();
    });
    afterEach(() => fixture.cleanup());

    it('adds each entry to its minute, hour and day bucket', async () => {
      log.add([usageEntry({ tenantId: tenant, keyId: keyA, minute: at(61), uses: 3 })]);
      log.add([usageEntry({ tenantId: tenant, keyId: keyA, minute: at(62), uses: 4 })]);
      await applyAll();
      const sums = (uses: number, bucket: string) => ({
        bucket,
        uses,
        latencyMsSum: 0,
        latencyCount: 0,
      });
      expect(await query({ by: ['bucket'] })).toEqual([sums(3, at(61)), sums(4, at(62))]);
      expect(await query({ granularity: 'hour', by: ['bucket'] })).toEqual([sums(7, at(60))]);
      expect(await query({ granularity: 'day', by: ['bucket'] })).toEqual([
        sums(7, '2026-03-01T00:00:00.000Z'),
      ]);
    });

    it('groups by key, endpoint and status, filters by key, and keeps tenants apart', async () => {
      log.add([
        usageEntry({ tenantId: tenant, keyId: keyA, endpoint: 'GET /a', status: '2xx', uses: 5 }),
        usageEntry({ tenantId: tenant, keyId: keyA, endpoint: 'GET /a', status: '5xx', uses: 1 }),
        usageEntry({ tenantId: tenant, keyId: keyB, endpoint: 'GET /b', status: '2xx', uses: 2 }),
        usageEntry({ tenantId: 'someone-else', keyId: randomUUID(), uses: 100 }),
      ]);
      await applyAll();
      const row = (fields: object, uses: number) => ({
        ...fields,
        uses,
        latencyMsSum: 0,
        latencyCount: 0,
      });
      expect(await query({})).toEqual([row({}, 8)]);
      expect(await query({ by: ['keyId'] })).toEqual(
        sorted([row({ keyId: keyA }, 6), row({ keyId: keyB }, 2)]),
      );
      expect(await query({ by: ['endpoint', 'status'] })).toEqual(
        sorted([
          row({ endpoint: 'GET /a', status: '2xx' }, 5),
          row({ endpoint: 'GET /a', status: '5xx' }, 1),
          row({ endpoint: 'GET /b', status: '2xx' }, 2),
        ]),
      );
      expect(await query({ keyId: keyB, by: ['status'] })).toEqual([row({ status: '2xx' }, 2)]);
      expect(await query({ tenantId: 'nobody-here' })).toEqual([]);
    });

    it('takes the buckets that start in [from, to)', async () => {
      for (const minute of [0, 1, 2]) {
        log.add([usageEntry({ tenantId: tenant, keyId: keyA, minute: at(minute), uses: 1 })]);
      }
      await applyAll();
      const buckets = await query({ from: new Date(at(1)), to: new Date(at(2)), by: ['bucket'] });
      expect(buckets.map((row) => row.bucket)).toEqual([at(1)]);
      const wide = await query({ from: new Date(at(0.5)), to: new Date(at(2.5)), by: [] });
      expect(wide).toEqual([{ uses: 2, latencyMsSum: 0, latencyCount: 0 }]);
    });

    it('sums latencies', async () => {
      log.add([
        usageEntry({ tenantId: tenant, keyId: keyA, uses: 3, latencyMsSum: 30, latencyCount: 2 }),
        usageEntry({ tenantId: tenant, keyId: keyA, endpoint: 'x', uses: 1 }),
      ]);
      await applyAll();
      expect(await query({})).toEqual([{ uses: 4, latencyMsSum: 30, latencyCount: 2 }]);
    });

    it('is idempotent by position: an event applied again, or an older one, changes nothing', async () => {
      const first = log.add([usageEntry({ tenantId: tenant, keyId: keyA, uses: 2 })]);
      const second = log.add([usageEntry({ tenantId: tenant, keyId: keyA, uses: 3 })]);
      await applyAll();
      await fixture.buckets.apply(second);
      await fixture.buckets.apply(first);
      expect(await query({})).toEqual([{ uses: 5, latencyMsSum: 0, latencyCount: 0 }]);
    });

    it('answers exactly the same after the whole log is replayed a second time', async () => {
      for (let i = 0; i < 30; i++) {
        log.add([
          usageEntry({
            tenantId: tenant,
            keyId: i % 2 ? keyA : keyB,
            endpoint: `GET /${i % 3}`,
            status: i % 5 ? '2xx' : '4xx',
            minute: at(i * 37),
            uses: i + 1,
          }),
        ]);
      }
      const everything = () =>
        Promise.all(
          (['minute', 'hour', 'day'] as const).map((granularity) =>
            query({ granularity, by: ['bucket', 'keyId', 'endpoint', 'status'] }),
          ),
        );
      await applyAll();
      const once = await everything();
      expect(once[0].reduce((sum, row) => sum + row.uses, 0)).toBe((30 * 31) / 2);
      await applyAll();
      expect(await everything()).toEqual(once);
    });

    it('drops minute buckets past their retention, counted from the newest event, not the clock', async () => {
      log.add([usageEntry({ tenantId: tenant, keyId: keyA, minute: at(0), uses: 1 })]);
      const later = at(49 * 60);
      log.add([usageEntry({ tenantId: tenant, keyId: keyA, minute: later, uses: 1 })], later);
      await applyAll();
      const minutes = await query({
        from: new Date(at(-60)),
        to: new Date(at(50 * 60)),
        by: ['bucket'],
      });
      expect(minutes.map((row) => row.bucket)).toEqual([later]);
      const hours = await query({ granularity: 'hour', by: ['bucket'] });
      expect(hours.map((row) => row.bucket)).toEqual([at(0), at(49 * 60)]);
    });
  });
}
