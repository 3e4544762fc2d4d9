import { expectError } from '../support/http-expectations';
import { expectStatus, TestApp, type KeyView } from '../support/test-app';

const MINUTE = 60_000;

/** What a key's own events decide (usage figures such as lastUsedAt come from elsewhere). */
const EVENT_FIELDS = [
  'id',
  'tenantId',
  'name',
  'hint',
  'environment',
  'kind',
  'status',
  'scopes',
  'expiresAt',
  'rateLimit',
  'allowedIps',
  'allowedOrigins',
  'metadata',
  'createdAt',
  'createdBy',
  'updatedAt',
  'revokedAt',
  'revocationReason',
  'rotatedFrom',
  'rotatedTo',
  'graceEndsAt',
] as const;
const ownState = (view: unknown) =>
  Object.fromEntries(
    EVENT_FIELDS.map((field) => [field, (view as Record<string, unknown>)[field]]),
  );

describe('GET …/keys/:keyId?asOf= replays a key to any instant', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await TestApp.start();
    await t.createTenant('acme');
  });
  afterEach(() => t.close());

  it('reproduces the state before and after each change of a key', async () => {
    const { key: _plaintext, ...created } = await t.createKey('acme', {
      name: 'v1',
      scopes: ['a:read'],
    });
    const path = `/v1/tenants/acme/keys/${created.id}`;
    /** [instant of the change, state right after it] for every change, in order. */
    const history: [Date, KeyView][] = [[t.clock.now(), created]];
    const change = async (send: () => Promise<{ status: number; body: unknown }>, status = 200) => {
      t.clock.advance(MINUTE);
      const res = await send();
      expectStatus(res as never, status);
      const after = await t.as().get(path);
      history.push([t.clock.now(), after.body as KeyView]);
    };
    const far = new Date(Date.parse('2026-01-01T00:00:00Z') + 365 * 24 * 60 * MINUTE).toISOString();
    await change(() => t.as().patch(path, { name: 'v2' }));
    await change(() => t.as().patch(path, { scopes: ['a:read', 'b:write'] }));
    await change(() => t.as().patch(path, { expiresAt: far }));
    await change(() => t.as().patch(path, { rateLimit: { limit: 5, windowSeconds: 60 } }));
    await change(() => t.as().patch(path, { metadata: { team: 'core' } }));
    await change(() => t.as().post(`${path}/rotate`, { gracePeriodSeconds: 3600 }), 201);
    await change(() => t.as().delete(path, { reason: 'audit test' }));
    t.clock.advance(MINUTE);

    const asOf = (at: Date) => t.as().get(`${path}?asOf=${at.toISOString()}`);
    expectError(await asOf(new Date(history[0][0].getTime() - 1)), 404, 'NOT_FOUND');
    for (const [i, [at, state]] of history.entries()) {
      const exactly = await asOf(at);
      expectStatus(exactly, 200);
      expect(ownState(exactly.body)).toEqual(ownState(state));
      if (i > 0) {
        const justBefore = await asOf(new Date(at.getTime() - 1));
        expectStatus(justBefore, 200);
        expect(ownState(justBefore.body)).toEqual(ownState(history[i - 1][1]));
      }
    }
    expect(history.map(([, s]) => [s.name, s.status])).toEqual([
      ['v1', 'active'],
      ['v2', 'active'],
      ['v2', 'active'],
      ['v2', 'active'],
      ['v2', 'active'],
      ['v2', 'active'],
      ['v2', 'active'],
      ['v2', 'revoked'],
    ]);
    expect(history[6][1].rotatedTo).not.toBeNull();
    expect(history[5][1].rotatedTo).toBeNull();
  });

  it('answers 404 for another tenant, and refuses an instant in the future', async () => {
    const key = await t.createKey('acme');
    await t.createTenant('globex');
    const now = t.clock.now().toISOString();
    expectError(
      await t.as().get(`/v1/tenants/globex/keys/${key.id}?asOf=${now}`),
      404,
      'NOT_FOUND',
    );
    const future = new Date(t.clock.now().getTime() + MINUTE).toISOString();
    expectError(
      await t.as().get(`/v1/tenants/acme/keys/${key.id}?asOf=${future}`),
      400,
      'VALIDATION_FAILED',
    );
  });
});
