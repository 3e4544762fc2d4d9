import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AppConfig, ReadModelsConfig } from './config/config';
import { EVENT_STORE, type EventStore } from './event-store/event-store.port';
import { KEY_USAGE_DIRECTORY } from './usage/read-models/key-usage-directory.port';
import { MemoryKeyUsageDirectory } from './usage/read-models/memory/memory-key-usage-directory';
import { MemoryUsageBuckets } from './usage/read-models/memory/memory-usage-buckets';
import { MongoKeyUsageDirectory } from './usage/read-models/mongodb/mongo-key-usage-directory';
import { MongoUsageBuckets } from './usage/read-models/mongodb/mongo-usage-buckets';
import { USAGE_BUCKETS } from './usage/read-models/usage-buckets.port';
import { usageRetention } from './usage/usage.providers';
import { KEY_DIRECTORY, VERIFICATION_INDEX } from './keys/read-models/key-directory.port';
import { MemoryKeyDirectory } from './keys/read-models/memory/memory-key-directory';
import { MemoryRootKeyDirectory } from './root-keys/read-models/memory/memory-root-key-directory';
import { MemoryTenantDirectory } from './tenants/read-models/memory/memory-tenant-directory';
import { openMongo, type MongoConnection } from './projections/mongodb/mongo-connection';
import { MongoKeyDirectory } from './keys/read-models/mongodb/mongo-key-directory';
import { MongoReadModels } from './projections/mongodb/mongo-read-models';
import { PROJECTIONS, type Projection } from './projections/projection';
import { ProjectionRunner } from './projections/projection-runner';
import { ReadModelSync } from './event-store/write-path/read-model-sync.port';
import { ROOT_KEY_DIRECTORY } from './root-keys/read-models/root-key-directory.port';
import { TENANT_DIRECTORY } from './tenants/read-models/tenant-directory.port';

const MONGO_CONNECTION = Symbol('MongoConnection');

/** Tenants and root keys: in memory on every instance, whatever holds the other read models. */
const localDirectories: Provider[] = [
  MemoryTenantDirectory,
  MemoryRootKeyDirectory,
  { provide: TENANT_DIRECTORY, useExisting: MemoryTenantDirectory },
  { provide: ROOT_KEY_DIRECTORY, useExisting: MemoryRootKeyDirectory },
  ProjectionRunner,
];

/** Every read model in this process's memory, rebuilt from the store at start (the default). */
function memoryProviders(config: AppConfig): Provider[] {
  return [
    ...localDirectories,
    MemoryKeyDirectory,
    { provide: KEY_DIRECTORY, useExisting: MemoryKeyDirectory },
    { provide: VERIFICATION_INDEX, useExisting: MemoryKeyDirectory },
    { provide: MemoryUsageBuckets, useValue: new MemoryUsageBuckets(usageRetention(config.usage)) },
    {
      // Owners from the key directory, which holds every key created: no second index of them.
      provide: MemoryKeyUsageDirectory,
      inject: [MemoryKeyDirectory],
      useFactory: (keys: MemoryKeyDirectory) => new MemoryKeyUsageDirectory(keys),
    },
    { provide: USAGE_BUCKETS, useExisting: MemoryUsageBuckets },
    { provide: KEY_USAGE_DIRECTORY, useExisting: MemoryKeyUsageDirectory },
    {
      provide: PROJECTIONS,
      inject: [
        MemoryKeyDirectory,
        MemoryTenantDirectory,
        MemoryRootKeyDirectory,
        MemoryUsageBuckets,
        MemoryKeyUsageDirectory,
      ],
      useFactory: (...projections: Projection[]) => projections,
    },
    {
      provide: ReadModelSync,
      inject: [ProjectionRunner],
      useFactory: (runner: ProjectionRunner): ReadModelSync => ({
        waitForWrite: (_stream, position) => runner.waitFor(position),
        isCaughtUp: () => runner.isCaughtUp(),
      }),
    },
  ];
}

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
 * projection lease); each verifies through its own cache.
 */
function mongoProviders(
  config: AppConfig,
  settings: Extract<ReadModelsConfig, { kind: 'mongodb' }>,
): Provider[] {
  return [
    ...localDirectories,
    { provide: MONGO_CONNECTION, useFactory: () => openMongo(settings.url) },
    {
      provide: MongoKeyDirectory,
      inject: [MONGO_CONNECTION],
      useFactory: (mongo: MongoConnection) => new MongoKeyDirectory(mongo.db),
    },
    {
      provide: MongoUsageBuckets,
      inject: [MONGO_CONNECTION],
      useFactory: (mongo: MongoConnection) =>
        new MongoUsageBuckets(mongo.db, usageRetention(config.usage)),
    },
    {
      provide: MongoKeyUsageDirectory,
      inject: [MONGO_CONNECTION],
      useFactory: (mongo: MongoConnection) => new MongoKeyUsageDirectory(mongo.db),
    },
    { provide: KEY_DIRECTORY, useExisting: MongoKeyDirectory },
    { provide: USAGE_BUCKETS, useExisting: MongoUsageBuckets },
    { provide: KEY_USAGE_DIRECTORY, useExisting: MongoKeyUsageDirectory },
    {
      provide: PROJECTIONS,
      inject: [MemoryTenantDirectory, MemoryRootKeyDirectory],
      useFactory: (...projections: Projection[]) => projections,
    },
    {
      provide: MongoReadModels,
      inject: [
        EVENT_STORE,
        MONGO_CONNECTION,
        MongoKeyDirectory,
        MongoUsageBuckets,
        MongoKeyUsageDirectory,
        ProjectionRunner,
      ],
      useFactory: (
        store: EventStore,
        mongo: MongoConnection,
        keys: MongoKeyDirectory,
        buckets: MongoUsageBuckets,
        keyUsage: MongoKeyUsageDirectory,
        local: ProjectionRunner,
      ) =>
        new MongoReadModels(store, mongo, keys, [keys, buckets, keyUsage], local, {
          instanceId: config.usage.instanceId,
          leaseTtlMs: settings.leaseTtlMs,
          cacheMaxKeys: settings.cacheMaxKeys,
          negativeCacheMs: settings.negativeCacheMs,
        }),
    },
    {
      provide: VERIFICATION_INDEX,
      inject: [MongoReadModels],
      useFactory: (readModels: MongoReadModels) => readModels.cache,
    },
    { provide: ReadModelSync, useExisting: MongoReadModels },
    MongoReadModelsLifecycle,
  ];
}

/** The read models for READ_MODELS: ports bound to memory or MongoDB adapters. */
export function readModelProviders(config: AppConfig): Provider[] {
  return config.readModels.kind === 'mongodb'
    ? mongoProviders(config, config.readModels)
    : memoryProviders(config);
}
