import { mkdirSync } from 'node:fs';
import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG, sqliteFile, type AppConfig } from './config/config';
import { EventStreams } from './event-store/write-path/event-streams';
import { EVENT_STORE, type EventStore } from './event-store/event-store.port';
import { EventStoreDbEventStore } from './event-store/eventstoredb/eventstoredb-event-store.adapter';
import { SqliteEventStore } from './event-store/sqlite/sqlite-event-store.adapter';
import { HealthController } from './health/health.controller';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { RequestGuard } from './http/request.guard';
import { RootKeyGuard } from './root-keys/http/root-key.guard';
import { createValidationPipe } from './http/validation';
import { CreateKeyHandler } from './keys/commands/create-key/create-key.handler';
import { RevokeKeyHandler } from './keys/commands/revoke-key/revoke-key.handler';
import { RotateKeyHandler } from './keys/commands/rotate-key/rotate-key.handler';
import { UpdateKeyHandler } from './keys/commands/update-key/update-key.handler';
import { KeysController } from './keys/http/keys.controller';
import { VerifyController } from './keys/http/verify.controller';
import { KeyAsOf } from './keys/queries/key-as-of';
import { KeyVerifier } from './keys/verification/key-verifier';
import { CommandExecutor } from './event-store/write-path/command-executor';
import { readModelProviders } from './read-model.providers';
import { CreateRootKeyHandler } from './root-keys/commands/create-root-key/create-root-key.handler';
import { RevokeRootKeyHandler } from './root-keys/commands/revoke-root-key/revoke-root-key.handler';
import { RootKeysController } from './root-keys/http/root-keys.controller';
import { CLOCK, systemClock, type Clock } from './shared/clock';
import { ID_GENERATOR, randomIds, type IdGenerator } from './shared/ids';
import { CreateTenantHandler } from './tenants/commands/create-tenant/create-tenant.handler';
import { TenantsController } from './tenants/http/tenants.controller';
import { UsageFlusher } from './usage/flush/usage-flusher';
import { usageControllers, usageProviders } from './usage/usage.providers';
import { auditControllers, auditProviders } from './audit/audit.providers';

export interface AppOverrides {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** An already-open store (tests share one between app instances); the app will not close it. */
  readonly eventStore?: EventStore;
  /** Seal audit checkpoints in the background (default: in the HTTP server, unless AUDIT_SEALER=off). */
  readonly backgroundSealing?: boolean;
}

function openEventStore(config: AppConfig): EventStore {
  // Connects on first use; EventStoreLifecycle checks at start that the server answers.
  if (config.eventStore === 'eventstoredb' && config.eventStoreUrl !== null) {
    return EventStoreDbEventStore.create(config.eventStoreUrl);
  }
  if (config.dataDir !== ':memory:') mkdirSync(config.dataDir, { recursive: true });
  return SqliteEventStore.open(sqliteFile(config), { pollIntervalMs: config.limits.sqlitePollMs });
}

const EVENT_STORE_OWNED = Symbol('EventStoreOwned');

@Injectable()
class EventStoreLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_STORE_OWNED) private readonly owned: boolean,
    private readonly usage: UsageFlusher,
  ) {}

  /** A configured store that does not answer stops the start (one line: EventStoreUnreachable). */
  async onModuleInit(): Promise<void> {
    if (this.owned) await this.store.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    // Shutdown hooks run concurrently: the last usage flush must land before the store closes.
    await this.usage.flushBeforeStoreCloses();
    if (this.owned) await this.store.close();
  }
}

const commandHandlers = [
  CreateTenantHandler,
  CreateKeyHandler,
  UpdateKeyHandler,
  RotateKeyHandler,
  RevokeKeyHandler,
  CreateRootKeyHandler,
  RevokeRootKeyHandler,
];

@Module({})
export class AppModule {
  /** The whole service, wired for `config`; HTTP pieces are inert in a CLI application context. */
  static forRoot(config: AppConfig, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      // Express tries routes in registration order, one path match per route: the verify route,
      // which serves nearly every request, comes first. (Fastify looks routes up in a tree.)
      controllers: [
        VerifyController,
        HealthController,
        TenantsController,
        KeysController,
        RootKeysController,
        ...usageControllers,
        ...auditControllers,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: overrides.clock ?? systemClock },
        { provide: ID_GENERATOR, useValue: overrides.ids ?? randomIds },
        { provide: EVENT_STORE, useFactory: () => overrides.eventStore ?? openEventStore(config) },
        { provide: EVENT_STORE_OWNED, useValue: overrides.eventStore === undefined },
        EventStoreLifecycle,
        ...readModelProviders(config),
        EventStreams,
        CommandExecutor,
        KeyVerifier,
        KeyAsOf,
        ...commandHandlers,
        ...usageProviders,
        ...auditProviders({ backgroundSealing: overrides.backgroundSealing }),
        { provide: APP_GUARD, useClass: RequestGuard },
        { provide: APP_GUARD, useClass: RootKeyGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
