import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import request from 'supertest';
import type { Test } from 'supertest';
import { loadConfig, type ReadModelsConfig, type UsageConfig } from '../../src/config/config';
import {
  EVENT_STORE,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
} from '../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.adapter';
import { createHttpApp } from '../../src/http-app';
import type { keyView } from '../../src/keys';
import type { VerifyResult } from '../../src/keys/verification/verify-key';
import { CreateRootKeyCommand } from '../../src/root-keys';
import type { IssuedRootKey } from '../../src/root-keys';
import type { TenantBinding } from '../../src/root-keys';
import { ManualClock } from '../../src/shared/clock';
import { CapturingLogger } from './capturing-logger';

/**
 * The configuration e2e suites run on: defaults, on the HTTP platform CI asks for
 * (`HTTP_PLATFORM=fastify npm run test:e2e` runs the whole suite on Fastify).
 */
export function testConfig() {
  return loadConfig({ HTTP_PLATFORM: process.env.HTTP_PLATFORM });
}

/** Sent on every request, so that events can be checked for the caller's user agent. */
export const USER_AGENT = 'keyledger-e2e/1.0';

export type KeyView = ReturnType<typeof keyView>;
export type CreatedKey = KeyView & { readonly key: string };
export type RotatedKeyBody = CreatedKey & { readonly previous: KeyView };
export type VerifyAnswer = VerifyResult;

/** A root key as the tests hold it: its id and, once, its plaintext. */
export interface Credential {
  readonly id: string;
  readonly key: string;
}

export interface TestAppOptions {
  /** A store the caller owns and closes. Default: a fresh `:memory:` SQLite store. */
  readonly eventStore?: EventStore;
  /** Boot on this data directory: the app opens (and closes) its own SQLite file there. */
  readonly dataDir?: string;
  readonly clock?: ManualClock;
  readonly logger?: CapturingLogger;
  /** An admin root key that already exists in the store (after a restart): none is created. */
  readonly admin?: Credential;
  /** Usage recording settings for this app (e.g. its instance id or flush interval). */
  readonly usage?: Partial<UsageConfig>;
  /** Where the read models live (default: memory). */
  readonly readModels?: ReadModelsConfig;
}

/** Fails with the response body in the message, which says more than a bare status mismatch. */
export function expectStatus(res: request.Response, status: number): void {
  if (res.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  }
}

/** A real Nest app on a real SQLite store, driven over HTTP with supertest. */
export class TestApp {
  private constructor(
    readonly app: INestApplication,
    /** The store the app writes to (the override if one was given). */
    readonly store: EventStore,
    readonly clock: ManualClock,
    readonly logger: CapturingLogger,
    readonly admin: Credential,
    private readonly ownedStore: EventStore | undefined,
  ) {}

  static async start(options: TestAppOptions = {}): Promise<TestApp> {
    const clock = options.clock ?? new ManualClock();
    const logger = options.logger ?? new CapturingLogger();
    const defaults = testConfig();
    // No background usage flush unless a spec asks for one: it would write (and count as store
    // calls) at moments no spec chose. Usage specs flush explicitly; close() flushes too.
    const usage = { ...defaults.usage, flushIntervalMs: 60_000, ...options.usage };
    const config = {
      ...defaults,
      dataDir: options.dataDir ?? ':memory:',
      usage,
      readModels: options.readModels ?? defaults.readModels,
    };
    const owned =
      options.eventStore || options.dataDir ? undefined : SqliteEventStore.open(':memory:');
    const eventStore = options.eventStore ?? owned;
    const app = await createHttpApp(
      config,
      { clock, ...(eventStore ? { eventStore } : {}) },
      { logger },
    );
    await app.init();
    const store = app.get<symbol, EventStore>(EVENT_STORE);
    const admin = options.admin ?? (await bootstrapRootKey(app, 'admin', ['*'], '*'));
    return new TestApp(app, store, clock, logger, admin, owned);
  }

  /** Requests signed with `key` (default: the admin root key), sent with USER_AGENT. */
  as(key: string = this.admin.key) {
    const sign = (test: Test): Test =>
      test.set('Authorization', `Bearer ${key}`).set('User-Agent', USER_AGENT);
    return this.requests(sign);
  }

  /** Requests with no credentials at all; headers are up to the caller. */
  anonymous() {
    return this.requests((test) => test.set('User-Agent', USER_AGENT));
  }

  /** A root key made by the admin over HTTP. */
  async rootKey(
    abilities: readonly string[],
    tenants: TenantBinding = '*',
    rateLimit?: { limit: number; windowSeconds: number },
  ): Promise<Credential> {
    const res = await this.as().post('/v1/root-keys', {
      name: `root ${abilities.join(' ')}`,
      abilities,
      tenants,
      ...(rateLimit ? { rateLimit } : {}),
    });
    expectStatus(res, 201);
    const body = res.body as { id: string; key: string };
    return { id: body.id, key: body.key };
  }

  async createTenant(tenantId: string, keyPrefix?: string): Promise<void> {
    const res = await this.as().post('/v1/tenants', {
      tenantId,
      name: `Tenant ${tenantId}`,
      ...(keyPrefix ? { keyPrefix } : {}),
    });
    expectStatus(res, 201);
  }

  async createKey(tenantId: string, body: Record<string, unknown> = {}): Promise<CreatedKey> {
    const res = await this.as().post(`/v1/tenants/${tenantId}/keys`, { name: 'test key', ...body });
    expectStatus(res, 201);
    return res.body as CreatedKey;
  }

  async verify(key: string, extra: Record<string, unknown> = {}): Promise<VerifyAnswer> {
    const res = await this.as().post('/v1/keys/verify', { key, ...extra });
    expectStatus(res, 200);
    return res.body as VerifyAnswer;
  }

  /** Every event of the store, in global order, read page by page. */
  async allEvents(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let after: GlobalPosition | undefined;
    for (;;) {
      const page = await this.store.readAll({ ...(after ? { after } : {}), maxCount: 500 });
      if (page.length === 0) return events;
      events.push(...page);
      after = page[page.length - 1].position;
    }
  }

  async countEvents(): Promise<number> {
    return (await this.allEvents()).length;
  }

  readStream(stream: string): Promise<RecordedEvent[]> {
    return this.store.readStream(stream);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.ownedStore?.close();
  }

  private requests(prepare: (test: Test) => Test) {
    const server = this.app.getHttpServer() as Parameters<typeof request>[0];
    const withBody = (test: Test, body: unknown) =>
      body === undefined ? prepare(test) : prepare(test).send(body as object);
    return {
      get: (path: string) => prepare(request(server).get(path)),
      post: (path: string, body?: unknown) => withBody(request(server).post(path), body),
      patch: (path: string, body?: unknown) => withBody(request(server).patch(path), body),
      delete: (path: string, body?: unknown) => withBody(request(server).delete(path), body),
    };
  }
}

/** The first root key, made the way the CLI makes it: through the CommandBus, actor `cli`. */
async function bootstrapRootKey(
  app: INestApplication,
  name: string,
  abilities: readonly string[],
  tenants: TenantBinding,
): Promise<Credential> {
  const issued = await app.get(CommandBus).execute<CreateRootKeyCommand, IssuedRootKey>(
    new CreateRootKeyCommand(name, abilities, tenants, null, null, {
      actor: { type: 'cli', id: 'test' },
      requestId: 'test',
    }),
  );
  return { id: issued.record.rootKeyId, key: issued.plaintext };
}
