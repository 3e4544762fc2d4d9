import { UsageQueryFixture } from '../../../../test/support/usage-read-models';
import { UsageAnomalyDetector } from './usage-anomaly-detector';

const NOW = new Date('2026-03-10T12:30:00.000Z');
const HOUR_MS = 3_600_000;
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * HOUR_MS).toISOString();

describe('UsageAnomalyDetector', () => {
  let fixture: UsageQueryFixture;
  let detector: UsageAnomalyDetector;

  /** 100 uses of GET /orders, 2xx, in every hour of the three days before the last hour. */
  function flatHistory(keyId: string, tenantId = 'acme'): void {
    for (let hours = 72; hours >= 1.5; hours -= 1) {
      fixture.use(keyId, hoursAgo(hours), 99, { endpoint: 'GET /orders', status: '2xx', tenantId });
      fixture.use(keyId, hoursAgo(hours), 1, { endpoint: 'GET /orders', status: '4xx', tenantId });
    }
  }

  beforeEach(() => {
    fixture = new UsageQueryFixture();
    detector = new UsageAnomalyDetector(fixture.buckets);
  });

  it('stays quiet on flat traffic', async () => {
    for (let i = 0; i < 5; i++) {
      const keyId = fixture.key();
      flatHistory(keyId);
      fixture.use(keyId, hoursAgo(0.25), 99, { endpoint: 'GET /orders', status: '2xx' });
      fixture.use(keyId, hoursAgo(0.25), 1, { endpoint: 'GET /orders', status: '4xx' });
    }
    const report = await detector.detect('acme', NOW);
    expect(report).toEqual({
      tenantId: 'acme',
      window: { from: '2026-03-10T11:31:00.000Z', to: '2026-03-10T12:31:00.000Z' },
      baseline: { from: '2026-03-09T11:00:00.000Z', to: '2026-03-10T11:00:00.000Z' },
      anomalies: [],
    });
  });

  it('fires each rule on the key whose last hour departs from its own past, with its figures', async () => {
    const [calm, spiking, exploring, failing, fresh] = [1, 2, 3, 4, 5].map(() => fixture.key());
    for (const keyId of [calm, spiking, exploring, failing]) flatHistory(keyId);
    const lastHour = (
      keyId: string,
      uses: number,
      endpoint = 'GET /orders',
      status = '2xx' as const,
    ) => fixture.use(keyId, hoursAgo(0.25), uses, { endpoint, status });
    lastHour(calm, 100);
    lastHour(spiking, 1500);
    lastHour(exploring, 90);
    fixture.use(exploring, hoursAgo(0.1), 4, { endpoint: 'DELETE /admin/users', status: '2xx' });
    lastHour(failing, 60);
    fixture.use(failing, hoursAgo(0.2), 40, { endpoint: 'GET /orders', status: '5xx' });
    lastHour(fresh, 5000, 'GET /brand-new');
    const otherTenantKey = fixture.key('globex');
    flatHistory(otherTenantKey, 'globex');
    fixture.use(otherTenantKey, hoursAgo(0.25), 9999, { tenantId: 'globex' });

    const { anomalies } = await detector.detect('acme', NOW);
    const expected = [
      {
        keyId: spiking,
        kind: 'volume_spike',
        figures: {
          lastHourUses: 1500,
          baselineHourlyMean: 100,
          baselineHourlyStdDev: 0,
          ratio: 15,
          threshold: 300,
        },
      },
      {
        keyId: exploring,
        kind: 'new_endpoint',
        figures: {
          newEndpoints: [{ endpoint: 'DELETE /admin/users', uses: 4 }],
          endpointsSeenBefore: 1,
        },
      },
      {
        keyId: failing,
        kind: 'error_rate',
        figures: {
          lastHourErrorRate: 0.4,
          lastHourErrors: 40,
          lastHourUsesWithStatus: 100,
          baselineErrorRate: 0.01,
          threshold: 0.25,
        },
      },
    ];
    expect(anomalies).toEqual(expect.arrayContaining(expected));
    expect(anomalies).toHaveLength(3);
  });

  it('counts an endpoint as seen when its only use was days ago, in day buckets', async () => {
    const keyId = fixture.key();
    flatHistory(keyId);
    fixture.use(keyId, hoursAgo(24 * 8), 1, { endpoint: 'GET /rarely' });
    fixture.use(keyId, hoursAgo(0.25), 100, { endpoint: 'GET /orders', status: '2xx' });
    fixture.use(keyId, hoursAgo(0.25), 1, { endpoint: 'GET /rarely' });
    expect((await detector.detect('acme', NOW)).anomalies).toEqual([]);
  });
});
