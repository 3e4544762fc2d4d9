import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.adapter';
import { FlakyEventStore } from '../support/flaky-event-store';
import { detailFields, expectError } from '../support/http-expectations';
import { expectStatus, TestApp, type CreatedKey, type Credential } from '../support/test-app';
import { flushUsage, storedUses, total } from '../support/usage-app';

const NO_SUCH_KEY = 'no such API key';

describe('POST /v1/usage: batches of reported uses, all or nothing', () => {
  let t: TestApp;
  let acmeKey: CreatedKey;
  let globexKey: CreatedKey;
  let acmeReporter: Credential;

  const entry = (overrides: Record<string, unknown> = {}) => ({
    keyId: acmeKey.id,
    endpoint: 'GET /orders',
    status: 200,
    ...overrides,
  });
  /** Posts the batch and proves that, refused, it left nothing behind even after a flush. */
  async function refused(body: unknown, status: number, code: string, key?: string) {
    await flushUsage(t);
    const before = total(await storedUses(t.store));
    const res = await t.as(key).post('/v1/usage', body);
    const error = expectError(res, status, code);
    await flushUsage(t);
    expect(total(await storedUses(t.store))).toBe(before);
    return error;
  }

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createTenant('acme');
    await t.createTenant('globex');
    acmeKey = await t.createKey('acme');
    globexKey = await t.createKey('globex');
    acmeReporter = await t.rootKey(['usage:write'], ['acme']);
  });
  afterAll(() => t.close());

  it('takes a batch of 1000 uses, far larger than the general 64 KiB body limit, with 202', async () => {
    const batch = Array.from({ length: 1000 }, (_, i) =>
      entry({ endpoint: `GET /orders/${i % 7}`, latencyMs: i % 50, ip: '203.0.113.9' }),
    );
    expect(JSON.stringify({ entries: batch }).length).toBeGreaterThan(65_536);
    const before = total(await storedUses(t.store));
    const res = await t.as().post('/v1/usage', { entries: batch });
    expectStatus(res, 202);
    expect(res.body).toEqual({ accepted: 1000 });
    await flushUsage(t);
    expect(total(await storedUses(t.store))).toBe(before + 1000);
    const events = await t.allEvents();
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain('203.0.113.9');
  });

  it('refuses 1001 entries, naming the field, and records none of them', async () => {
    const error = await refused(
      { entries: Array.from({ length: 1001 }, () => entry()) },
      400,
      'VALIDATION_FAILED',
    );
    expect(error.details).toEqual([
      { field: 'entries', message: 'entries must contain no more than 1000 elements' },
    ]);
  });

  it('refuses a whole batch for one unknown key, naming the entry', async () => {
    const error = await refused(
      { entries: [entry(), entry(), entry(), entry({ keyId: randomUUID() }), entry()] },
      400,
      'VALIDATION_FAILED',
    );
    expect(error.details).toEqual([{ field: 'entries.3.keyId', message: NO_SUCH_KEY }]);
  });

  it("answers another tenant's key exactly like an unknown one", async () => {
    const bound = await refused(
      { entries: [entry(), entry({ keyId: globexKey.id })] },
      400,
      'VALIDATION_FAILED',
      acmeReporter.key,
    );
    expect(bound.details).toEqual([{ field: 'entries.1.keyId', message: NO_SUCH_KEY }]);
    const named = await refused(
      { tenantId: 'acme', entries: [entry({ keyId: globexKey.id })] },
      400,
      'VALIDATION_FAILED',
    );
    expect(named.details).toEqual([{ field: 'entries.0.keyId', message: NO_SUCH_KEY }]);
    const outside = await refused(
      { tenantId: 'globex', entries: [entry()] },
      404,
      'NOT_FOUND',
      acmeReporter.key,
    );
    expect(outside.error).toBe('Tenant not found');
  });

  it('refuses negative latencies, statuses outside 100–599 and times more than 24 h off', async () => {
    const now = t.clock.now().getTime();
    const error = await refused(
      {
        entries: [
          entry(),
          entry({ latencyMs: -1 }),
          entry({ status: 99 }),
          entry({ status: 600 }),
          entry({ at: new Date(now - 24 * 3_600_000 - 1000).toISOString() }),
          entry({ at: new Date(now + 24 * 3_600_000 + 1000).toISOString() }),
        ],
      },
      400,
      'VALIDATION_FAILED',
    );
    expect(error.details).toEqual([
      { field: 'entries.1.latencyMs', message: 'latencyMs must be from 0 to 86400000' },
      { field: 'entries.2.status', message: 'status must be an integer from 100 to 599' },
      { field: 'entries.3.status', message: 'status must be an integer from 100 to 599' },
      { field: 'entries.4.at', message: 'at must be within 24 hours of now' },
      { field: 'entries.5.at', message: 'at must be within 24 hours of now' },
    ]);
  });

  it('refuses malformed entries before looking at any key, naming each one', async () => {
    const error = await refused(
      {
        entries: [
          entry(),
          entry({ status: '200' }),
          entry({ keyId: 'not-a-uuid' }),
          entry({ at: 'yesterday' }),
          entry({ colour: 'red' }),
          'a string',
        ],
      },
      400,
      'VALIDATION_FAILED',
    );
    expect(detailFields(error)).toEqual(
      expect.arrayContaining([
        'entries.1.status',
        'entries.2.keyId',
        'entries.3.at',
        'entries.4.colour',
        'entries.5',
      ]),
    );
    expect(detailFields(error).every((field) => /^entries\.[1-5]/.test(field))).toBe(true);
  });

  it('refuses a root key without usage:write', async () => {
    const reader = await t.rootKey(['usage:read']);
    const error = await refused({ entries: [entry()] }, 403, 'FORBIDDEN', reader.key);
    expect(error.error).toBe('Missing ability: usage:write');
  });

  it('keeps the general body limit everywhere else', async () => {
    const res = await t.as().post('/v1/keys/verify', { key: 'x', endpoint: 'y'.repeat(70_000) });
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
  });
});

describe('POST /v1/usage when the usage buffer has no room', () => {
  it('refuses the whole batch with 503 while the store refuses flushes, and keeps what it holds', async () => {
    const inner = SqliteEventStore.open(':memory:');
    const store = new FlakyEventStore(inner);
    const t = await TestApp.start({
      eventStore: store,
      usage: { bufferMaxEntries: 4, flushIntervalMs: 60_000 },
    });
    try {
      await t.createTenant('acme');
      const key = await t.createKey('acme');
      const batch = (endpoints: string[]) => ({
        entries: endpoints.map((endpoint) => ({ keyId: key.id, endpoint, status: 200 })),
      });
      store.failAppends = 1_000;
      expectStatus(await t.as().post('/v1/usage', batch(['a', 'b', 'c'])), 202);
      await flushUsage(t);
      expectError(await t.as().post('/v1/usage', batch(['d', 'e'])), 503, 'USAGE_BUFFER_FULL');
      store.failAppends = 0;
      await flushUsage(t);
      expect(total(await storedUses(t.store))).toBe(3);
      const metrics = (await t.anonymous().get('/metrics')).text;
      expect(metrics).toContain('keyledger_usage_batches_refused_total 1\n');
      expect(metrics).toMatch(/keyledger_usage_flush_failures_total [1-9]\d*\n/);
      expect(metrics).toContain('keyledger_usage_uses_dropped_total 0\n');
    } finally {
      await t.close();
      await inner.close();
    }
  });
});
