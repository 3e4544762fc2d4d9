import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AppConfig, ReadModelsConfig } from './config/config';
import { EVENT_STORE, type EventStore } from './event-store/event-store.port';
import { ReadModelSync } from './event-store/write-path/read-model-sync.port';
import { KEY_READ_MODELS } from './keys';
import type { FeatureReadModels } from './projections/feature-read-models';
import { FeedFreshness } from './projections/mongodb/feed-freshness';
import {
  MONGO_CONNECTION,
  openMongo,
  type MongoConnection,
} from './projections/mongodb/mongo-connection';
import { MongoReadModels } from './projections/mongodb/mongo-read-models';
import { PROJECTIONS, type Projection } from './projections/projection';
import { ProjectionRunner } from './projections/projection-runner';
import { ProjectionRunnerSync } from './projections/projection-runner-sync';
import { ROOT_KEY_READ_MODELS } from './root-keys';
import { TENANT_READ_MODELS } from './tenants';
import { USAGE_READ_MODELS } from './usage';

/**
 * Every feature's read models, in the order the projections apply an event: keys before usage
 * (the memory usage directory looks a key's owner up in the key directory).
 */
const FEATURE_READ_MODELS = [
  KEY_READ_MODELS,
  TENANT_READ_MODELS,
  ROOT_KEY_READ_MODELS,
  USAGE_READ_MODELS,
];

const gather =
  (part: keyof FeatureReadModels) =>
  (...features: FeatureReadModels[]): Projection[] =>
    features.flatMap((feature) => feature[part]);

/** How the write path waits for read models (see `ReadModelSync`). */
export interface ReadModelsOptions {
  /** Longest a command waits for its write to show here before 503 READ_MODEL_LAGGING. */
  readonly writeWaitMs?: number;
}

/** Every read model in this process's memory, rebuilt from the store at start (the default). */
const memoryProviders = (options: ReadModelsOptions): Provider[] => [
  { provide: PROJECTIONS, inject: FEATURE_READ_MODELS, useFactory: gather('local') },
  ProjectionRunner,
  {
    provide: ReadModelSync,
    inject: [ProjectionRunner],
    useFactory: (runner: ProjectionRunner) => new ProjectionRunnerSync(runner, options.writeWaitMs),
  },
];

/** Connects, makes indexes and starts before the app serves; stops writing before the store closes. */
@Injectable()
class MongoReadModelsLifecycle
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    private readonly readModels: MongoReadModels,
    @Inject(MONGO_CONNECTION) private readonly connection: MongoConnection,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): Promise<void> {
    return this.readModels.connect();
  }

  /** Only a server writes the shared models; an application context (the CLI) reads them. */
  onApplicationBootstrap(): Promise<void> {
    // `!= null`: an application context leaves the adapter null, not undefined.
    return this.readModels.start({ write: this.adapterHost.httpAdapter != null });
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.readModels.stop();
  }

  onApplicationShutdown(): Promise<void> {
    return this.connection.close();
  }
}

/**
 * Keys and usage in MongoDB, shared by every instance; one instance at a time writes them (the
 * projection lease); each verifies through its own cache. Tenants and root keys stay in memory.
 */
function mongoProviders(
  config: AppConfig,
  settings: Extract<ReadModelsConfig, { kind: 'mongodb' }>,
  options: ReadModelsOptions,
): Provider[] {
  return [
    { provide: MONGO_CONNECTION, useFactory: () => openMongo(settings.url) },
    FeedFreshness,
    { provide: PROJECTIONS, inject: FEATURE_READ_MODELS, useFactory: gather('local') },
    ProjectionRunner,
    {
      provide: MongoReadModels,
      inject: [
        EVENT_STORE,
        MONGO_CONNECTION,
        ProjectionRunner,
        FeedFreshness,
        ...FEATURE_READ_MODELS,
      ],
      useFactory: (
        store: EventStore,
        mongo: MongoConnection,
        local: ProjectionRunner,
        freshness: FeedFreshness,
        ...features: FeatureReadModels[]
      ) => {
        const shared = features.flatMap((feature) => feature.shared);
        const fed = features.flatMap((feature) => feature.fed);
        const readModels = new MongoReadModels(store, mongo, shared, local, fed, {
          instanceId: config.usage.instanceId,
          leaseTtlMs: settings.leaseTtlMs,
          writeWaitMs: options.writeWaitMs,
        });
        freshness.answerWith(readModels);
        return readModels;
      },
    },
    { provide: ReadModelSync, useExisting: MongoReadModels },
    MongoReadModelsLifecycle,
  ];
}

/** The read models for READ_MODELS: every feature's projections, run in memory or in MongoDB. */
@Module({})
export class ReadModelsModule {
  static forRoot(config: AppConfig, options: ReadModelsOptions = {}): DynamicModule {
    const mongo = config.readModels.kind === 'mongodb';
    return {
      module: ReadModelsModule,
      global: true,
      providers: mongo
        ? mongoProviders(config, config.readModels, options)
        : memoryProviders(options),
      exports: [
        ReadModelSync,
        ProjectionRunner,
        ...(mongo ? [MONGO_CONNECTION, FeedFreshness, MongoReadModels] : []),
      ],
    };
  }
}
