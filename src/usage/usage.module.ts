import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { AppConfig, UsageConfig } from '../config/config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { KEY_LAST_USE, KEY_OWNER_LOOKUP, USAGE_SINK, type KeyOwnerLookup } from '../keys';
import { memoryOnly, type FeatureReadModels } from '../projections/feature-read-models';
import { MONGO_CONNECTION, type MongoConnection } from '../projections/mongodb/mongo-connection';
import { ID_GENERATOR, type IdGenerator } from '../shared/ids';
import { UsageAccumulator } from './accumulator/usage-accumulator';
import { RecordUsageHandler } from './commands/record-usage/record-usage.handler';
import { UsageEventWriter } from './flush/usage-event-writer';
import { UsageFlusher } from './flush/usage-flusher';
import { UsageController } from './http/usage.controller';
import { UsageAnomalyDetector } from './queries/anomalies/usage-anomaly-detector';
import { KeyUsageSummary } from './queries/key-usage-summary';
import { UsageReport } from './queries/usage-report';
import { KEY_USAGE_DIRECTORY } from './read-models/key-usage-directory.port';
import { MemoryKeyUsageDirectory } from './read-models/memory/memory-key-usage-directory';
import { MemoryUsageBuckets } from './read-models/memory/memory-usage-buckets';
import { MongoKeyUsageDirectory } from './read-models/mongodb/mongo-key-usage-directory';
import { MongoUsageBuckets } from './read-models/mongodb/mongo-usage-buckets';
import { USAGE_BUCKETS, type UsageRetention } from './read-models/usage-buckets.port';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const USAGE_READ_MODELS = Symbol('UsageReadModels');

/** Retention settings in milliseconds; 0 days of day buckets means forever. */
export function usageRetention(config: UsageConfig): UsageRetention {
  const { minuteHours, hourDays, dayDays } = config.retention;
  return {
    minute: minuteHours * HOUR_MS,
    hour: hourDays * DAY_MS,
    day: dayDays === 0 ? Number.POSITIVE_INFINITY : dayDays * DAY_MS,
  };
}

/** Usage buckets and last uses in this process's memory, rebuilt at start (the default). */
function memoryReadModels(retention: UsageRetention): Provider[] {
  return [
    { provide: MemoryUsageBuckets, useValue: new MemoryUsageBuckets(retention) },
    {
      // Owners from the key directory, which holds every key created: no second index of them.
      provide: MemoryKeyUsageDirectory,
      inject: [KEY_OWNER_LOOKUP],
      useFactory: (owners: KeyOwnerLookup) => new MemoryKeyUsageDirectory(owners),
    },
    { provide: USAGE_BUCKETS, useExisting: MemoryUsageBuckets },
    { provide: KEY_USAGE_DIRECTORY, useExisting: MemoryKeyUsageDirectory },
    {
      provide: USAGE_READ_MODELS,
      inject: [MemoryUsageBuckets, MemoryKeyUsageDirectory],
      useFactory: memoryOnly,
    },
  ];
}

/** Usage buckets and last uses in MongoDB, shared by every instance. */
function mongoReadModels(retention: UsageRetention): Provider[] {
  return [
    {
      provide: MongoUsageBuckets,
      inject: [MONGO_CONNECTION],
      useFactory: (mongo: MongoConnection) => new MongoUsageBuckets(mongo.db, retention),
    },
    {
      provide: MongoKeyUsageDirectory,
      inject: [MONGO_CONNECTION],
      useFactory: (mongo: MongoConnection) => new MongoKeyUsageDirectory(mongo.db),
    },
    { provide: USAGE_BUCKETS, useExisting: MongoUsageBuckets },
    { provide: KEY_USAGE_DIRECTORY, useExisting: MongoKeyUsageDirectory },
    {
      provide: USAGE_READ_MODELS,
      inject: [MongoUsageBuckets, MongoKeyUsageDirectory],
      useFactory: (
        buckets: MongoUsageBuckets,
        keys: MongoKeyUsageDirectory,
      ): FeatureReadModels => ({ local: [], shared: [buckets, keys], fed: [] }),
    },
  ];
}

/**
 * Usage: uses counted at verification and reported by callers, summed in memory and flushed as
 * one event per instance per interval (SPEC §5), and the reports read from the usage buckets.
 */
@Module({})
export class UsageModule {
  static forRoot(config: AppConfig): DynamicModule {
    const retention = usageRetention(config.usage);
    return {
      module: UsageModule,
      global: true,
      controllers: [UsageController],
      providers: [
        ...(config.readModels.kind === 'mongodb'
          ? mongoReadModels(retention)
          : memoryReadModels(retention)),
        {
          provide: UsageAccumulator,
          useFactory: () => new UsageAccumulator(config.usage.bufferMaxEntries),
        },
        { provide: USAGE_SINK, useExisting: UsageAccumulator },
        {
          provide: UsageEventWriter,
          inject: [EVENT_STORE, ID_GENERATOR],
          useFactory: (store: EventStore, ids: IdGenerator) =>
            new UsageEventWriter(store, ids, config.usage.instanceId),
        },
        UsageFlusher,
        RecordUsageHandler,
        UsageReport,
        KeyUsageSummary,
        { provide: KEY_LAST_USE, useExisting: KeyUsageSummary },
        UsageAnomalyDetector,
      ],
      exports: [USAGE_SINK, KEY_LAST_USE, USAGE_READ_MODELS, UsageAccumulator, UsageFlusher],
    };
  }
}
