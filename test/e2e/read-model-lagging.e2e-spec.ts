import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import request from 'supertest';
import type {
  EventSubscription,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionHandlers,
} from '../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.adapter';
import { createHttpApp } from '../../src/http-app';
import { CreateRootKeyCommand, type IssuedRootKey } from '../../src/root-keys';
import { ReadModelLagging } from '../../src/shared/errors';
import { CapturingLogger } from '../support/capturing-logger';
import { DelegatingEventStore } from '../support/delegating-event-store';
import { expectStatus, testConfig } from '../support/test-app';

/**
 * A real store whose subscriptions, while held, stop delivering: every projection fed from them
 * stalls (as one stuck on a slow dependency would), while appends and reads still work.
 */
class StallingEventStore extends DelegatingEventStore {
  private gate?: { readonly passed: Promise<void>; readonly open: () => void };

  hold(): void {
    let open = () => {};
    const passed = new Promise<void>((resolve) => (open = resolve));
    this.gate ??= { passed, open };
  }

  release(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  override subscribe(options: SubscribeOptions, handlers: SubscriptionHandlers): EventSubscription {
    return super.subscribe(options, {
      ...handlers,
      onEvent: (event) => {
        const gate = this.gate;
        return gate ? gate.passed.then(() => handlers.onEvent(event)) : handlers.onEvent(event);
      },
    });
  }
}

/** Short, so that the 503 comes quickly; the default is 10 s. */
const WRITE_WAIT_MS = 300;

/**
 * When a command's write does not show in this instance's read models in time, the answer is 503
 * READ_MODEL_LAGGING (never a 2xx without the guarantee), and the write stands.
 */
describe('a write the read models do not show in time', () => {
  let inner: SqliteEventStore;
  let store: StallingEventStore;
  let app: INestApplication;
  let admin: string;

  beforeEach(async () => {
    inner = SqliteEventStore.open(':memory:');
    store = new StallingEventStore(inner);
    app = await createHttpApp(
      { ...testConfig(), dataDir: ':memory:' },
      { eventStore: store, readModelWriteWaitMs: WRITE_WAIT_MS },
      { logger: new CapturingLogger() },
    );
    admin = await bootstrapAdmin(app);
    expectStatus(await http().post('/v1/tenants').send({ tenantId: 'acme', name: 'Acme' }), 201);
  });
  afterEach(async () => {
    store.release();
    await app.close();
    await inner.close();
  });

  const http = () => {
    const server = app.getHttpServer() as Parameters<typeof request>[0];
    const sign = (test: request.Test) => test.set('Authorization', `Bearer ${admin}`);
    return {
      get: (path: string) => sign(request(server).get(path)),
      post: (path: string) => sign(request(server).post(path)),
      delete: (path: string) => sign(request(server).delete(path)),
    };
  };

  const eventsOfType = async (type: string): Promise<RecordedEvent[]> =>
    inner.readAll({ filter: { eventTypes: [type] }, maxCount: 100 });

  /** The answer READ_MODEL_LAGGING gives: the error shape, nothing else (no key, no internals). */
  const expectLagging = (res: request.Response) => {
    expectStatus(res, 503);
    expect(res.body).toEqual({
      error: ReadModelLagging.MESSAGE,
      code: 'READ_MODEL_LAGGING',
      requestId: expect.any(String) as string,
    });
    expect(res.headers['x-request-id']).toBe((res.body as { requestId: string }).requestId);
  };

  it('create answers 503 READ_MODEL_LAGGING; the key was created and shows once the read models catch up', async () => {
    store.hold();
    const res = await http().post('/v1/tenants/acme/keys').send({ name: 'lagging' });

    expectLagging(res);
    const created = await eventsOfType('ApiKeyCreated');
    expect(created).toHaveLength(1);
    expect(created[0].data).toMatchObject({ tenantId: 'acme', name: 'lagging' });
    expect(created[0].metadata.requestId).toBe((res.body as { requestId: string }).requestId);

    store.release();
    const keyId = (created[0].data as { keyId: string }).keyId;
    await eventually(
      async () => (await http().get(`/v1/tenants/acme/keys/${keyId}`)).status === 200,
    );
  });

  it('revoke answers 503 READ_MODEL_LAGGING; the revocation stands and verification follows it', async () => {
    const createdRes = await http().post('/v1/tenants/acme/keys').send({ name: 'to revoke' });
    expectStatus(createdRes, 201);
    const key = createdRes.body as { id: string; key: string };

    store.hold();
    const res = await http().delete(`/v1/tenants/acme/keys/${key.id}`).send({ reason: 'leaked' });

    expectLagging(res);
    const stream = await inner.readStream(`apikey-${key.id}`);
    expect(stream.map((event) => event.type)).toEqual(['ApiKeyCreated', 'ApiKeyRevoked']);

    store.release();
    await eventually(async () => {
      const verified = await http().post('/v1/keys/verify').send({ key: key.key });
      return (verified.body as { code?: string }).code === 'REVOKED';
    });
  });

  it('rotate answers 503 READ_MODEL_LAGGING only after both writes: the replacement key exists and verifies', async () => {
    const createdRes = await http().post('/v1/tenants/acme/keys').send({ name: 'to rotate' });
    expectStatus(createdRes, 201);
    const old = createdRes.body as { id: string; key: string };

    store.hold();
    const res = await http()
      .post(`/v1/tenants/acme/keys/${old.id}/rotate`)
      .send({ gracePeriodSeconds: 60 });

    expectLagging(res);
    const rotated = await eventsOfType('ApiKeyRotated');
    expect(rotated).toHaveLength(1);
    const newKeyId = (rotated[0].data as { newKeyId: string }).newKeyId;
    const replacement = await inner.readStream(`apikey-${newKeyId}`);
    expect(replacement.map((event) => event.type)).toEqual(['ApiKeyCreated']);

    store.release();
    await eventually(
      async () => (await http().get(`/v1/tenants/acme/keys/${newKeyId}`)).status === 200,
    );
    // The old key keeps working through its grace period, as after any rotation.
    const verified = await http().post('/v1/keys/verify').send({ key: old.key });
    expect((verified.body as { code?: string }).code).toBe('VALID');
  });
});

/** The first root key, made the way the CLI makes it (through the CommandBus). */
async function bootstrapAdmin(app: INestApplication): Promise<string> {
  const issued = await app.get(CommandBus).execute<CreateRootKeyCommand, IssuedRootKey>(
    new CreateRootKeyCommand('admin', ['*'], '*', null, null, {
      actor: { type: 'cli', id: 'test' },
      requestId: 'test',
    }),
  );
  return issued.plaintext;
}

/** Polls `condition` until it holds; fails after `timeoutMs`. */
async function eventually(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() >= deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
