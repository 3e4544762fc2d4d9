import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyStreamChain } from '../../src/event-store/hash-chain';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.adapter';
import { PROJECTIONS, type Projection } from '../../src/projections/projection';
import { ManualClock } from '../../src/shared/clock';
import { expectStatus, TestApp, type CreatedKey, type KeyView } from '../support/test-app';
import { flushUsage, storedUses, total } from '../support/usage-app';

const USAGE = { instanceId: 'node-a', flushIntervalMs: 60_000 };

describe('Usage across a graceful shutdown and restarts: totals exactly N', () => {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  let dataDir: string;
  let first: TestApp;
  let second: TestApp;
  const keys: Record<'a1' | 'a2' | 'g1', CreatedKey> = {} as never;
  let storedBeforeClose: number;
  let storedAfterFirstFlush: Map<string, number>;
  let storedAfterClose: Map<string, number>;
  let lastUseOfA1: string;

  /** Reads the store file of the data directory while no app has it open. */
  async function usesOnDisk(): Promise<Map<string, number>> {
    const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
    try {
      return await storedUses(store);
    } finally {
      await store.close();
    }
  }

  const verifyTimes = async (t: TestApp, key: string, times: number, extra = {}) => {
    for (let i = 0; i < times; i++) {
      clock.advance(7_000);
      const answer = await t.verify(key, extra);
      if (!answer.valid) throw new Error(`expected VALID, got ${answer.code}`);
    }
  };
  const report = async (t: TestApp, entries: object[], key?: string) => {
    const res = await t.as(key).post('/v1/usage', { entries });
    expectStatus(res, 202);
    expect(res.body).toEqual({ accepted: entries.length });
  };
  const entries = (keyId: string, count: number, endpoint: string, status: number) =>
    Array.from({ length: count }, () => ({ keyId, endpoint, status, latencyMs: 20 }));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'keyledger-usage-'));
    first = await TestApp.start({ dataDir, clock, usage: USAGE });
    await first.createTenant('acme');
    await first.createTenant('globex');
    keys.a1 = await first.createKey('acme', { scopes: ['orders:read'] });
    keys.a2 = await first.createKey('acme');
    keys.g1 = await first.createKey('globex');
    const revoked = await first.createKey('acme');
    expectStatus(await first.as().delete(`/v1/tenants/acme/keys/${revoked.id}`), 200);
    const reporter = await first.rootKey(['usage:write'], ['acme']);

    // First part: 30 verifies and 20 reported uses, written by an explicit flush.
    await verifyTimes(first, keys.a1.key, 20, { endpoint: 'GET /orders' });
    await verifyTimes(first, keys.a2.key, 10);
    await report(first, [
      ...entries(keys.a1.id, 12, 'GET /orders', 200),
      ...entries(keys.a1.id, 3, 'GET /orders', 500),
      ...entries(keys.a2.id, 5, 'POST /orders', 404),
    ]);
    // None of these is a use.
    expect(await first.verify(revoked.key)).toMatchObject({ code: 'REVOKED' });
    expect(await first.verify(keys.a1.key, { tenantId: 'globex' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await first.verify(keys.a1.key, { requiredScopes: ['admin:write'] })).toMatchObject({
      code: 'INSUFFICIENT_SCOPES',
    });
    await flushUsage(first);
    storedAfterFirstFlush = await storedUses(first.store);

    // Second part, written only by the shutdown flush: 10 verifies and 10 reported uses.
    await verifyTimes(first, keys.a1.key, 5, { endpoint: 'GET /orders' });
    lastUseOfA1 = clock.now().toISOString();
    await verifyTimes(first, keys.g1.key, 5, { endpoint: 'POST /pay' });
    await report(first, entries(keys.a2.id, 10, 'POST /orders', 201), reporter.key);
    storedBeforeClose = total(await storedUses(first.store));
    await first.close();
    storedAfterClose = await usesOnDisk();
    second = await TestApp.start({ dataDir, clock, usage: USAGE, admin: first.admin });
  });

  afterAll(async () => {
    await second?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes exactly what was used: the timer had not fired, the explicit flush and shutdown did', () => {
    expect(storedAfterFirstFlush).toEqual(
      new Map([
        [keys.a1.id, 35],
        [keys.a2.id, 15],
      ]),
    );
    expect(storedBeforeClose).toBe(50);
    expect(storedAfterClose).toEqual(
      new Map([
        [keys.a1.id, 40],
        [keys.a2.id, 25],
        [keys.g1.id, 5],
      ]),
    );
  });

  it('answers the same totals after the restart, per tenant, key, endpoint and status', async () => {
    const acme = await second.as().get('/v1/tenants/acme/usage?granularity=day&groupBy=key');
    expectStatus(acme, 200);
    expect(acme.body).toMatchObject({
      totals: {
        uses: 65,
        errors: 8,
        statuses: { '2xx': 22, '4xx': 5, '5xx': 3, unknown: 35 },
        avgLatencyMs: 20,
      },
      topEndpoints: [
        { endpoint: 'GET /orders', uses: 40, errors: 3 },
        { endpoint: 'POST /orders', uses: 15, errors: 5 },
        { endpoint: 'verify', uses: 10, errors: 0 },
      ],
    });
    const [today] = (acme.body as { series: { groups: object[] }[] }).series.slice(-1);
    expect(today.groups).toEqual([
      expect.objectContaining({ keyId: keys.a1.id, uses: 40 }),
      expect.objectContaining({ keyId: keys.a2.id, uses: 25 }),
    ]);
    const globex = await second.as().get('/v1/tenants/globex/usage?granularity=day');
    expect(globex.body).toMatchObject({ totals: { uses: 5, errorRate: null } });
  });

  it('shows lastUsedAt on the key, in listings and with the 24 h summary', async () => {
    const key = await second.as().get(`/v1/tenants/acme/keys/${keys.a1.id}`);
    expect((key.body as KeyView).lastUsedAt).toBe(lastUseOfA1);
    const list = await second.as().get('/v1/tenants/acme/keys');
    const listed = (list.body as { items: KeyView[] }).items;
    expect(listed.find((k) => k.id === keys.a1.id)?.lastUsedAt).toBe(lastUseOfA1);
    const summary = await second.as().get(`/v1/tenants/acme/usage/keys/${keys.a1.id}`);
    expectStatus(summary, 200);
    expect(summary.body).toEqual({
      tenantId: 'acme',
      keyId: keys.a1.id,
      lastUsedAt: lastUseOfA1,
      usage24h: {
        uses: 40,
        errors: 3,
        errorRate: 0.2,
        avgLatencyMs: 20,
        topEndpoints: [
          { endpoint: 'GET /orders', uses: 40, errors: 3, errorRate: 0.2, avgLatencyMs: 20 },
        ],
      },
    });
  });

  it('leaves every usage answer unchanged when the usage events are applied a second time', async () => {
    const answers = async () => {
      const paths = [
        '/v1/tenants/acme/usage?granularity=minute&groupBy=endpoint&from=2026-03-01T10:00:00Z&to=2026-03-01T11:00:00Z',
        '/v1/tenants/acme/usage?granularity=hour&groupBy=status',
        '/v1/tenants/globex/usage?granularity=day&groupBy=key',
        `/v1/tenants/acme/usage/keys/${keys.a2.id}`,
        '/v1/tenants/acme/keys',
      ];
      return Promise.all(paths.map(async (path) => (await second.as().get(path)).body as unknown));
    };
    const before = await answers();
    const projections = second.app.get<symbol, Projection[]>(PROJECTIONS);
    const usageEvents = (await second.allEvents()).filter((e) => e.type === 'UsageRecorded');
    expect(usageEvents).toHaveLength(2);
    for (const event of usageEvents) {
      for (const projection of projections) await projection.apply(event);
    }
    expect(await answers()).toEqual(before);
  });

  it('continues the same usage stream after a restart, one hash chain, no fork', async () => {
    await verifyTimes(second, keys.a1.key, 7);
    await second.close();
    const third = await TestApp.start({ dataDir, clock, usage: USAGE, admin: first.admin });
    second = third;
    const res = await third.as().get('/v1/tenants/acme/usage?granularity=day');
    expect(res.body).toMatchObject({ totals: { uses: 72 } });
    const stream = await third.readStream('usage-node-a-20260301');
    expect(stream.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
    expect(verifyStreamChain(stream).ok).toBe(true);
  });
});
