import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store.adapter';
import { EventStoreDbStandIn } from '../support/eventstoredb-standin/eventstoredb-standin';
import { expectStatus, TestApp } from '../support/test-app';

/**
 * The whole service on the EventStoreDB adapter, over a real socket to the gRPC stand-in (not
 * EventStoreDB itself: see the README). With EVENTSTORE_URL set, a real server is used instead.
 */
describe('Keyledger on EventStoreDB', () => {
  const realServer = process.env.EVENTSTORE_URL;
  let standIn: EventStoreDbStandIn | undefined;
  let connectionString = realServer ?? '';
  const stores: EventStoreDbEventStore[] = [];
  const apps: TestApp[] = [];

  beforeAll(async () => {
    if (realServer) return;
    standIn = await EventStoreDbStandIn.start();
    connectionString = standIn.url;
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  afterAll(() => standIn?.stop());

  async function startApp(): Promise<TestApp> {
    const store = EventStoreDbEventStore.create(connectionString);
    stores.push(store);
    const app = await TestApp.start({ eventStore: store });
    apps.push(app);
    return app;
  }

  /** Tenants live as long as the server: each test takes a name of its own. */
  const tenantId = () => `t-${Math.random().toString(36).slice(2, 10)}`;

  it('creates a key, verifies it VALID, revokes it, then verifies it REVOKED', async () => {
    const t = await startApp();
    const tenant = tenantId();
    await t.createTenant(tenant);
    const created = await t.createKey(tenant, { name: 'checkout', scopes: ['orders:read'] });

    expect(await t.verify(created.key)).toMatchObject({
      valid: true,
      code: 'VALID',
      keyId: created.id,
    });
    expectStatus(
      await t.as().delete(`/v1/tenants/${tenant}/keys/${created.id}`, { reason: 'leaked' }),
      200,
    );
    expect(await t.verify(created.key)).toMatchObject({ valid: false, code: 'REVOKED' });

    const stored = await t.readStream(`apikey-${created.id}`);
    expect(stored.map((event) => event.type)).toEqual(['ApiKeyCreated', 'ApiKeyRevoked']);
    const written = JSON.stringify(stored.map(({ data, metadata }) => ({ data, metadata })));
    expect(written).not.toContain(created.key);
  });

  it('rebuilds its read models from the server when another instance starts on it', async () => {
    const first = await startApp();
    const tenant = tenantId();
    await first.createTenant(tenant);
    const kept = await first.createKey(tenant, { name: 'kept' });
    const revoked = await first.createKey(tenant, { name: 'revoked' });
    expectStatus(await first.as().delete(`/v1/tenants/${tenant}/keys/${revoked.id}`), 200);

    const second = await startApp();

    expectStatus(await second.as().get('/ready'), 200);
    expect(await second.verify(kept.key)).toMatchObject({ valid: true, code: 'VALID' });
    expect(await second.verify(revoked.key)).toMatchObject({ valid: false, code: 'REVOKED' });
  });
});
