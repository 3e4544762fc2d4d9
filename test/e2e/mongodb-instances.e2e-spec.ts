import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BSON } from 'bson';
import { MongoClient, type Db } from 'mongodb';
import type { ReadModelsConfig } from '../../src/config/config';
import type { GlobalPosition, RecordedEvent } from '../../src/event-store/event-store.port';
import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store.adapter';
import { generateApiKey } from '../../src/shared/key-format';
import { randomSecrets } from '../../src/shared/secrets';
import { MongoKeyDirectory } from '../../src/keys/read-models/mongodb/mongo-key-directory';
import type { MongoProjection } from '../../src/projections/mongodb/mongo-projection';
import { LEASE_COLLECTION } from '../../src/projections/mongodb/projection-lease';
import { POSITIONS_COLLECTION } from '../../src/projections/mongodb/projection-positions';
import { positionKey } from '../../src/projections/mongodb/mongo-position';
import { MongoKeyUsageDirectory } from '../../src/usage/read-models/mongodb/mongo-key-usage-directory';
import { MongoUsageBuckets } from '../../src/usage/read-models/mongodb/mongo-usage-buckets';
import { CompiledApp } from '../support/compiled-app';
import { EventStoreDbStandIn } from '../support/eventstoredb-standin/eventstoredb-standin';
import { MongoDbStandIn } from '../support/mongodb-standin/mongodb-standin';
import { ServerProcess } from '../support/server-process';
import { expectStatus, testConfig, TestApp, type CreatedKey } from '../support/test-app';

/**
 * Several instances sharing one event store and one MongoDB, as in production. Here both are the
 * test stand-ins (EventStoreDB gRPC and MongoDB wire protocol, over real sockets, through the
 * real client libraries); with EVENTSTORE_URL and MONGODB_URL set, real servers are used.
 */
describe('Instances sharing EventStoreDB and MongoDB read models', () => {
  let esdb: EventStoreDbStandIn | undefined;
  let mongo: MongoDbStandIn | undefined;
  let eventStoreUrl: string;
  let mongoUrl: string;
  let client: MongoClient;
  const stores: EventStoreDbEventStore[] = [];
  const apps: TestApp[] = [];

  beforeAll(async () => {
    eventStoreUrl = process.env.EVENTSTORE_URL ?? (esdb = await EventStoreDbStandIn.start()).url;
    mongoUrl = process.env.MONGODB_URL ?? (mongo = await MongoDbStandIn.start()).url;
    client = new MongoClient(mongoUrl);
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  afterAll(async () => {
    await client.close();
    await mongo?.stop();
    await esdb?.stop();
  });

  /** Each test gets databases of its own; the event store is shared, so tenants are unique. */
  const databaseName = () => `kl-e2e-${Math.random().toString(36).slice(2, 10)}`;
  const tenantId = () => `t-${Math.random().toString(36).slice(2, 10)}`;

  function readModels(database: string, leaseTtlMs = 1000): ReadModelsConfig {
    return {
      kind: 'mongodb',
      url: withDatabase(mongoUrl, database),
      leaseTtlMs,
      cacheMaxKeys: 1000,
      negativeCacheMs: 500,
    };
  }

  async function startApp(
    database: string,
    instanceId: string,
    admin?: TestApp['admin'],
  ): Promise<TestApp> {
    const store = EventStoreDbEventStore.create(eventStoreUrl);
    stores.push(store);
    const app = await TestApp.start({
      eventStore: store,
      readModels: readModels(database),
      usage: { instanceId },
      ...(admin ? { admin } : {}),
    });
    apps.push(app);
    return app;
  }

  it('a key created on one instance verifies on another; a revoke there answers REVOKED within 2 s', async () => {
    const database = databaseName();
    const a = await startApp(database, 'instance-a');
    const b = await startApp(database, 'instance-b', a.admin);
    const tenant = tenantId();
    await a.createTenant(tenant);
    const key = await a.createKey(tenant, { name: 'shared', scopes: ['orders:read'] });

    expect(
      await eventually(
        () => b.verify(key.key),
        (r) => r.code === 'VALID',
      ),
    ).toMatchObject({
      valid: true,
      keyId: key.id,
    });
    const listed = await b.as().get(`/v1/tenants/${tenant}/keys/${key.id}`);
    expectStatus(listed, 200);

    const revokedAt = Date.now();
    expectStatus(await a.as().delete(`/v1/tenants/${tenant}/keys/${key.id}`), 200);
    expect(await a.verify(key.key)).toMatchObject({ code: 'REVOKED' });
    await eventually(
      () => b.verify(key.key),
      (r) => r.code === 'REVOKED',
      2_000,
    );
    expect(Date.now() - revokedAt).toBeLessThan(2_000);
  });

  it('answers unknown and junk keys NOT_FOUND on an instance that never saw them', async () => {
    const database = databaseName();
    const a = await startApp(database, 'instance-a');
    const tenant = tenantId();
    await a.createTenant(tenant);
    const key = await a.createKey(tenant);
    const b = await startApp(database, 'instance-b', a.admin);
    // B started after the key existed: it reads it from MongoDB on the first use.
    expect(await b.verify(key.key)).toMatchObject({ code: 'VALID' });
    // Junk fails the checksum before any lookup; a well-formed unknown key is read once, then
    // remembered as unknown.
    expect(await b.verify(`${key.key.slice(0, -6)}aaaaaa`)).toMatchObject({ code: 'NOT_FOUND' });
    const unknown = generateApiKey('kl', 'live', 'secret', randomSecrets).plaintext;
    expect(await b.verify(unknown)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await b.verify(unknown)).toMatchObject({ code: 'NOT_FOUND' });
    expectStatus(await b.as().get('/ready'), 200);
    const metrics = await b.anonymous().get('/metrics');
    expectStatus(metrics, 200);
    expect(metrics.text).toMatch(/^keyledger_verify_cache_misses_total 2$/m);
    expect(metrics.text).toMatch(/^keyledger_verify_cache_hits_total 1$/m);
    expect(metrics.text).toMatch(/^keyledger_verify_cache_entries 2$/m);
    expect(metrics.text).toMatch(/^keyledger_projection_lease_held 0$/m);
  });

  describe('when the instance holding the projection lease is killed', () => {
    let compiled: CompiledApp;
    let dataDir: string;
    let child: ServerProcess | undefined;

    beforeAll(() => {
      compiled = CompiledApp.build();
      dataDir = mkdtempSync(join(tmpdir(), 'kl-mongo-e2e-'));
    });

    afterEach(async () => {
      await child?.stop('SIGKILL');
      child = undefined;
    });

    afterAll(() => {
      compiled.remove();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('another instance takes the lease over, and the read model equals a replay from zero', async () => {
      const database = databaseName();
      const db = client.db(database);
      const a = (child = await ServerProcess.start(compiled, {
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_URL: eventStoreUrl,
        READ_MODELS: 'mongodb',
        MONGODB_URL: withDatabase(mongoUrl, database),
        MONGODB_LEASE_TTL_MS: '1000',
        USAGE_INSTANCE_ID: 'instance-a',
        USAGE_FLUSH_INTERVAL_MS: '100',
        AUDIT_SEALER: 'off',
        HTTP_PLATFORM: testConfig().httpPlatform,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      }));
      expect(await leaseOwner(db)).toBe('instance-a');

      const b = await startApp(database, 'instance-b');
      const tenant = tenantId();
      const admin = b.admin.key;
      await eventually(
        () => a.request('POST', '/v1/tenants', admin, { tenantId: tenant, name: tenant }),
        () => true,
      );
      const onA: CreatedKey[] = [];
      for (let i = 0; i < 5; i++) {
        onA.push(
          (await a.request('POST', `/v1/tenants/${tenant}/keys`, admin, {
            name: `a-${i}`,
          })) as CreatedKey,
        );
      }
      await a.request('POST', '/v1/keys/verify', admin, { key: onA[0].key });
      await a.request('DELETE', `/v1/tenants/${tenant}/keys/${onA[1].id}`, admin, {
        reason: 'before the crash',
      });
      expect(await leaseOwner(db)).toBe('instance-a');

      await a.stop('SIGKILL');

      // B's writes wait for the shared directory: they return once B holds the lease and wrote.
      const onB = await b.createKey(tenant, { name: 'after the crash' });
      expectStatus(await b.as().delete(`/v1/tenants/${tenant}/keys/${onA[2].id}`), 200);
      expect(await leaseOwner(db)).toBe('instance-b');
      expect(await b.verify(onB.key)).toMatchObject({ code: 'VALID' });
      expect(await b.verify(onA[0].key)).toMatchObject({ code: 'VALID' });
      expect(await b.verify(onA[1].key)).toMatchObject({ code: 'REVOKED' });
      expect(await b.verify(onA[2].key)).toMatchObject({ code: 'REVOKED' });
      const page = await b.as().get(`/v1/tenants/${tenant}/keys?limit=100`);
      expectStatus(page, 200);
      expect((page.body as { items: unknown[] }).items).toHaveLength(6);

      // Everything the store holds is in the shared read models, exactly as a replay makes them.
      const events = await allEvents(b.store, ['apikey-', 'usage-']);
      await eventually(
        () => checkpointOf(db),
        (position) => position === positionKey(events.at(-1)!.position),
      );
      const replayDb = client.db(`${database}-replay`);
      for (const projection of projectionsOn(replayDb)) await projection.ensureIndexes();
      for (const event of events) {
        for (const projection of projectionsOn(replayDb)) {
          if (projection.filter.streamPrefixes?.some((p) => event.stream.startsWith(p)))
            await projection.apply(event);
        }
      }
      expect(await readModelBytes(db)).toEqual(await readModelBytes(replayDb));
      await replayDb.dropDatabase();
      await db.dropDatabase();
    }, 60_000);
  });

  function projectionsOn(db: Db): MongoProjection[] {
    const retention = { minute: 48 * 3_600_000, hour: 90 * 86_400_000, day: Infinity };
    return [
      new MongoKeyDirectory(db),
      new MongoUsageBuckets(db, retention),
      new MongoKeyUsageDirectory(db),
    ];
  }
});

/** Every document of every read-model collection (not the lease or checkpoint), as BSON hex. */
async function readModelBytes(db: Db): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const { name } of await db.listCollections().toArray()) {
    if (name === LEASE_COLLECTION || name === POSITIONS_COLLECTION) continue;
    const documents = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
    snapshot[name] = documents.map((d) => Buffer.from(BSON.serialize(d)).toString('hex'));
  }
  return snapshot;
}

async function leaseOwner(db: Db): Promise<string | undefined> {
  const lease = await db.collection<{ _id: string; owner: string }>(LEASE_COLLECTION).findOne({});
  return lease?.owner;
}

async function checkpointOf(db: Db): Promise<string | undefined> {
  const checkpoint = await db
    .collection<{ _id: string; position: string }>(POSITIONS_COLLECTION)
    .findOne({});
  return checkpoint?.position;
}

async function allEvents(
  store: TestApp['store'],
  streamPrefixes: readonly string[],
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let after: GlobalPosition | undefined;
  for (;;) {
    const page = await store.readAll({ after, filter: { streamPrefixes }, maxCount: 500 });
    events.push(...page);
    if (page.length < 500) return events;
    after = page.at(-1)!.position;
  }
}

/** The same MongoDB URL naming another database. */
function withDatabase(url: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(url);
  if (!match) throw new Error(`not a MongoDB URL: ${url}`);
  return `${match[1]}/${database}${match[2] ?? ''}`;
}

/** Calls `probe` until `done` holds of its answer (errors count as not yet), within `timeoutMs`. */
async function eventually<T>(
  probe: () => Promise<T>,
  done: (answer: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const answer = await probe();
      if (done(answer)) return answer;
      last = answer;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting; last answer: ${String(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
