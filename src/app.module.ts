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
import { ReadModelsModule } from './app.read-models';
import { AuditModule } from './audit';
import { APP_CONFIG, sqliteFile, type AppConfig } from './config/config';
import { EVENT_STORE, type EventStore } from './event-store/event-store.port';
import { EventStoreDbEventStore } from './event-store/eventstoredb/eventstoredb-event-store.adapter';
import { SqliteEventStore } from './event-store/sqlite/sqlite-event-store.adapter';
import { CommandExecutor } from './event-store/write-path/command-executor';
import { EventStreams } from './event-store/write-path/event-streams';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { RequestGuard } from './http/request.guard';
import { createValidationPipe } from './http/validation';
import { KeysModule } from './keys';
import { OperationsModule } from './operations/operations.module';
import { RootKeyGuard, RootKeysModule } from './root-keys';
import { CLOCK, systemClock, type Clock } from './shared/clock';
import { ID_GENERATOR, randomIds, type IdGenerator } from './shared/ids';
import { SECRET_GENERATOR, randomSecrets, type SecretGenerator } from './shared/secrets';
import { TenantsModule } from './tenants';
import { UsageFlusher, UsageModule } from './usage';

export interface AppOverrides {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** Where key secrets come from (default: node:crypto's CSPRNG). */
  readonly secrets?: SecretGenerator;
  /** An already-open store (tests share one between app instances); the app will not close it. */
  readonly eventStore?: EventStore;
  /** Seal audit checkpoints in the background (default: in the HTTP server, unless AUDIT_SEALER=off). */
  readonly backgroundSealing?: boolean;
  /**
   * Longest a command waits for its write to show in this instance's read models before it
   * answers 503 READ_MODEL_LAGGING (default 10 s); tests shorten it to see that answer quickly.
   */
  readonly readModelWriteWaitMs?: number;
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

/** What every feature uses: configuration, clock, ids, secrets, the event store, the write path. */
@Module({})
class CoreModule {
  static forRoot(config: AppConfig, overrides: AppOverrides): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: overrides.clock ?? systemClock },
        { provide: ID_GENERATOR, useValue: overrides.ids ?? randomIds },
        { provide: SECRET_GENERATOR, useValue: overrides.secrets ?? randomSecrets },
        { provide: EVENT_STORE, useFactory: () => overrides.eventStore ?? openEventStore(config) },
        { provide: EVENT_STORE_OWNED, useValue: overrides.eventStore === undefined },
        EventStreams,
        CommandExecutor,
      ],
      exports: [
        APP_CONFIG,
        CLOCK,
        ID_GENERATOR,
        SECRET_GENERATOR,
        EVENT_STORE,
        EVENT_STORE_OWNED,
        EventStreams,
        CommandExecutor,
      ],
    };
  }
}

/**
 * Checks the store at start and closes it last. In the root module: Nest runs the hooks of the
 * (global) feature and infrastructure modules first, so every subscription has stopped and every
 * writer has finished when the store closes.
 */
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
    // The last usage flush must land before the store closes.
    await this.usage.flushBeforeStoreCloses();
    if (this.owned) await this.store.close();
  }
}

@Module({})
export class AppModule {
  /** The whole service, wired for `config`; HTTP pieces are inert in a CLI application context. */
  static forRoot(config: AppConfig, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      // Routes register in this order, the root module's own first (so it has none): Express
      // tries routes in registration order, and verify, which serves nearly every request, is
      // KeysModule's first route. (Fastify looks routes up in a tree.)
      imports: [
        CqrsModule.forRoot(),
        CoreModule.forRoot(config, overrides),
        ReadModelsModule.forRoot(config, { writeWaitMs: overrides.readModelWriteWaitMs }),
        KeysModule.forRoot(config.readModels),
        TenantsModule.forRoot(),
        RootKeysModule.forRoot(),
        UsageModule.forRoot(config),
        AuditModule.forRoot({ backgroundSealing: overrides.backgroundSealing }),
        OperationsModule,
      ],
      providers: [
        EventStoreLifecycle,
        { provide: APP_GUARD, useClass: RequestGuard },
        { provide: APP_GUARD, useClass: RootKeyGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
