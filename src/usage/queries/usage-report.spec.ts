import { UsageQueryFixture } from '../../../test/support/usage-read-models';
import { UsageReport } from './usage-report';

const at = (time: string) => `2026-03-01T${time}.000Z`;

describe('UsageReport', () => {
  let fixture: UsageQueryFixture;
  let report: UsageReport;
  let keyA: string;
  let keyB: string;

  beforeEach(() => {
    fixture = new UsageQueryFixture();
    report = new UsageReport(fixture.buckets, fixture.keys);
    keyA = fixture.key();
    keyB = fixture.key();
    fixture.use(keyA, at('10:15:00'), 6, { endpoint: 'verify' });
    fixture.use(keyA, at('10:20:00'), 3, { endpoint: 'GET /orders', status: '2xx' });
    fixture.use(keyA, at('10:21:00'), 1, { endpoint: 'GET /orders', status: '5xx' });
    fixture.use(keyB, at('12:59:59'), 4, { endpoint: 'POST /orders', status: '4xx' });
    fixture.use(keyB, at('13:00:00'), 100, { endpoint: 'GET /orders', status: '2xx' });
    fixture.use(fixture.key('globex'), at('10:30:00'), 50, { tenantId: 'globex' });
  });

  const range = { from: new Date(at('10:45:00')), to: new Date(at('13:00:00')) };

  it('answers a zero-filled series with totals, error rates, top endpoints and the last use', async () => {
    const answer = await report.answer({ tenantId: 'acme', granularity: 'hour', ...range });
    expect(answer).toEqual({
      tenantId: 'acme',
      keyId: null,
      granularity: 'hour',
      from: at('10:00:00'),
      to: at('13:00:00'),
      groupBy: null,
      totals: {
        uses: 14,
        errors: 5,
        errorRate: 0.625,
        avgLatencyMs: null,
        statuses: { '1xx': 0, '2xx': 3, '3xx': 0, '4xx': 4, '5xx': 1, unknown: 6 },
      },
      topEndpoints: [
        { endpoint: 'verify', uses: 6, errors: 0, errorRate: null, avgLatencyMs: null },
        { endpoint: 'GET /orders', uses: 4, errors: 1, errorRate: 0.25, avgLatencyMs: null },
        { endpoint: 'POST /orders', uses: 4, errors: 4, errorRate: 1, avgLatencyMs: null },
      ],
      lastUsedAt: at('13:00:00'),
      series: [
        { bucket: at('10:00:00'), uses: 10, errors: 1, errorRate: 0.25, avgLatencyMs: null },
        { bucket: at('11:00:00'), uses: 0, errors: 0, errorRate: null, avgLatencyMs: null },
        { bucket: at('12:00:00'), uses: 4, errors: 4, errorRate: 1, avgLatencyMs: null },
      ],
    });
  });

  it('groups each point by key, endpoint or status', async () => {
    const byKey = await report.answer({
      tenantId: 'acme',
      granularity: 'hour',
      groupBy: 'key',
      ...range,
    });
    expect(byKey.series.map((point) => point.groups)).toEqual([
      [{ keyId: keyA, uses: 10, errors: 1, errorRate: 0.25, avgLatencyMs: null }],
      [],
      [{ keyId: keyB, uses: 4, errors: 4, errorRate: 1, avgLatencyMs: null }],
    ]);
    const byStatus = await report.answer({
      tenantId: 'acme',
      granularity: 'hour',
      groupBy: 'status',
      ...range,
    });
    expect(byStatus.series[0].groups?.map((group) => [group.status, group.uses])).toEqual([
      ['unknown', 6],
      ['2xx', 3],
      ['5xx', 1],
    ]);
    const byEndpoint = await report.answer({
      tenantId: 'acme',
      granularity: 'minute',
      groupBy: 'endpoint',
      from: new Date(at('10:20:00')),
      to: new Date(at('10:22:00')),
    });
    expect(byEndpoint.series.map((point) => point.groups?.map((group) => group.endpoint))).toEqual([
      ['GET /orders'],
      ['GET /orders'],
    ]);
  });

  it('answers for one key: its own uses and its own last use', async () => {
    const answer = await report.answer({
      tenantId: 'acme',
      keyId: keyA,
      granularity: 'day',
      ...range,
    });
    expect(answer).toMatchObject({
      keyId: keyA,
      from: '2026-03-01T00:00:00.000Z',
      totals: { uses: 10, errors: 1 },
      lastUsedAt: at('10:21:00'),
      series: [{ bucket: '2026-03-01T00:00:00.000Z', uses: 10 }],
    });
  });
});
