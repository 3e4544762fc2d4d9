import { expectError } from '../support/http-expectations';
import { expectStatus, TestApp, type CreatedKey } from '../support/test-app';
import { flushUsage } from '../support/usage-app';

const HOUR_MS = 3_600_000;

describe('Usage queries: series, anomalies and metrics over HTTP', () => {
  let t: TestApp;
  let flat: CreatedKey;
  let spiking: CreatedKey;
  let exploring: CreatedKey;

  /** `count` uses of `key` reported now, as the caller's backend would after each request. */
  const report = async (key: CreatedKey, count: number, endpoint = 'GET /orders', status = 200) => {
    const entries = Array.from({ length: count }, () => ({ keyId: key.id, endpoint, status }));
    expectStatus(await t.as().post('/v1/usage', { entries }), 202);
  };

  beforeAll(async () => {
    t = await TestApp.start({ usage: { flushIntervalMs: 60_000 } });
    t.clock.set('2026-03-01T00:10:00.000Z');
    await t.createTenant('acme');
    await t.createTenant('globex');
    [flat, spiking, exploring] = [
      await t.createKey('acme'),
      await t.createKey('acme'),
      await t.createKey('acme'),
    ];
    // A day and a half of flat traffic, 20 uses an hour per key, then one more hour.
    for (let hour = 0; hour < 36; hour++) {
      for (const key of [flat, spiking, exploring]) await report(key, 20);
      t.clock.advance(HOUR_MS);
    }
    await report(flat, 20);
    await report(spiking, 400);
    await report(exploring, 18);
    await report(exploring, 2, 'DELETE /admin/users');
    await flushUsage(t);
  });
  afterAll(() => t.close());

  it('names the keys whose last hour departs from their own past, with the figures', async () => {
    const res = await t.as().get('/v1/tenants/acme/usage/anomalies');
    expectStatus(res, 200);
    expect(res.body).toEqual({
      tenantId: 'acme',
      window: { from: '2026-03-02T11:11:00.000Z', to: '2026-03-02T12:11:00.000Z' },
      baseline: { from: '2026-03-01T11:00:00.000Z', to: '2026-03-02T11:00:00.000Z' },
      anomalies: expect.arrayContaining([
        {
          keyId: spiking.id,
          kind: 'volume_spike',
          figures: expect.objectContaining({
            lastHourUses: 400,
            baselineHourlyMean: 20,
            ratio: 20,
          }),
        },
        {
          keyId: exploring.id,
          kind: 'new_endpoint',
          figures: {
            newEndpoints: [{ endpoint: 'DELETE /admin/users', uses: 2 }],
            endpointsSeenBefore: 1,
          },
        },
      ]),
    });
    expect((res.body as { anomalies: unknown[] }).anomalies).toHaveLength(2);
    const quiet = await t.as().get('/v1/tenants/globex/usage/anomalies');
    expect(quiet.body).toMatchObject({ anomalies: [] });
  });

  it('answers a minute series of one key, zero-filled, with its last use', async () => {
    const res = await t
      .as()
      .get(
        `/v1/tenants/acme/usage?granularity=minute&keyId=${exploring.id}&from=2026-03-02T12:08:00Z&to=2026-03-02T12:11:00Z&groupBy=endpoint`,
      );
    expectStatus(res, 200);
    expect(res.body).toMatchObject({
      keyId: exploring.id,
      granularity: 'minute',
      totals: { uses: 20, errors: 0, errorRate: 0 },
      lastUsedAt: '2026-03-02T12:10:00.000Z',
      series: [
        { bucket: '2026-03-02T12:08:00.000Z', uses: 0, groups: [] },
        { bucket: '2026-03-02T12:09:00.000Z', uses: 0, groups: [] },
        {
          bucket: '2026-03-02T12:10:00.000Z',
          uses: 20,
          groups: [
            { endpoint: 'GET /orders', uses: 18, errors: 0, errorRate: 0, avgLatencyMs: null },
            {
              endpoint: 'DELETE /admin/users',
              uses: 2,
              errors: 0,
              errorRate: 0,
              avgLatencyMs: null,
            },
          ],
        },
      ],
    });
  });

  it('refuses bad ranges, granularities and groupings with 400 naming the field', async () => {
    const bad = async (query: string, field: string) => {
      const error = expectError(
        await t.as().get(`/v1/tenants/acme/usage?${query}`),
        400,
        'VALIDATION_FAILED',
      );
      expect(error.details?.map((d) => d.field)).toContain(field);
    };
    await bad('granularity=second', 'granularity');
    await bad('groupBy=colour', 'groupBy');
    await bad('from=yesterday', 'from');
    await bad('from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'from');
    await bad(
      'granularity=minute&from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z',
      'granularity',
    );
    await bad('keyId=42', 'keyId');
  });

  it('answers 404 for an unknown tenant and for a key of another tenant', async () => {
    expectError(await t.as().get('/v1/tenants/nobody/usage'), 404, 'NOT_FOUND');
    const globexKey = await t.createKey('globex');
    const res = await t.as().get(`/v1/tenants/acme/usage?keyId=${globexKey.id}`);
    expect(expectError(res, 404, 'NOT_FOUND').error).toBe('API key not found');
    const summary = await t.as().get(`/v1/tenants/acme/usage/keys/${globexKey.id}`);
    expectError(summary, 404, 'NOT_FOUND');
  });

  it('needs usage:read, and hides tenants outside a root key binding', async () => {
    const keysOnly = await t.rootKey(['keys:read']);
    for (const path of ['/v1/tenants/acme/usage', '/v1/tenants/acme/usage/anomalies']) {
      const error = expectError(await t.as(keysOnly.key).get(path), 403, 'FORBIDDEN');
      expect(error.error).toBe('Missing ability: usage:read');
    }
    const globexReader = await t.rootKey(['usage:read'], ['globex']);
    expectError(await t.as(globexReader.key).get('/v1/tenants/acme/usage'), 404, 'NOT_FOUND');
    expectStatus(await t.as(globexReader.key).get('/v1/tenants/globex/usage'), 200);
  });

  it('serves the usage counters on GET /metrics in the Prometheus text format, no key needed', async () => {
    const key = await t.createKey('globex');
    for (let i = 0; i < 3; i++) expect((await t.verify(key.key)).valid).toBe(true);
    const res = await t.anonymous().get('/metrics');
    expectStatus(res, 200);
    const contentType = String(res.headers['content-type']).split(/;\s*/);
    expect(contentType.sort()).toEqual(['charset=utf-8', 'text/plain', 'version=0.0.4']);
    expect(res.text).toContain(
      '# HELP keyledger_usage_uses_recorded_total Uses counted into the usage buffer.\n' +
        '# TYPE keyledger_usage_uses_recorded_total counter\n',
    );
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(res.text)?.[1]);
    const recorded = value('keyledger_usage_uses_recorded_total');
    expect(recorded).toBe(36 * 60 + 440 + 3);
    expect(value('keyledger_usage_uses_flushed_total')).toBe(recorded - 3);
    expect(value('keyledger_usage_uses_dropped_total')).toBe(0);
    expect(value('keyledger_usage_buffer_entries')).toBe(1);
    expect(res.text).not.toMatch(/kl_live_[0-9A-Za-z]{36}/);
  });
});
