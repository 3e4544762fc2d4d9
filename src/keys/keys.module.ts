import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { ReadModelsConfig } from '../config/config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { memoryOnly, type FeatureReadModels } from '../projections/feature-read-models';
import { FeedFreshness } from '../projections/mongodb/feed-freshness';
import { MONGO_CONNECTION, type MongoConnection } from '../projections/mongodb/mongo-connection';
import { CreateKeyHandler } from './commands/create-key/create-key.handler';
import { RevokeKeyHandler } from './commands/revoke-key/revoke-key.handler';
import { RotateKeyHandler } from './commands/rotate-key/rotate-key.handler';
import { UpdateKeyHandler } from './commands/update-key/update-key.handler';
import { KeysController } from './http/keys.controller';
import { VerifyController } from './http/verify.controller';
import { KeyAsOf } from './queries/key-as-of';
import { KEY_DIRECTORY, VERIFICATION_INDEX } from './read-models/key-directory.port';
import { KEY_OWNER_LOOKUP } from './read-models/memory/key-owners';
import { MemoryKeyDirectory } from './read-models/memory/memory-key-directory';
import { MongoCacheMissSource } from './read-models/mongodb/mongo-cache-miss-source';
import { MongoKeyDirectory } from './read-models/mongodb/mongo-key-directory';
import { VerificationCache } from './read-models/mongodb/verification-cache';
import { KeyVerifier } from './verification/key-verifier';

export const KEY_READ_MODELS = Symbol('KeyReadModels');

/** The key directory and the verification index in this process's memory (the default). */
const memoryReadModels: Provider[] = [
  MemoryKeyDirectory,
  { provide: KEY_DIRECTORY, useExisting: MemoryKeyDirectory },
  { provide: VERIFICATION_INDEX, useExisting: MemoryKeyDirectory },
  // Every key ever created is in the directory: the usage feature looks owners up there.
  { provide: KEY_OWNER_LOOKUP, useExisting: MemoryKeyDirectory },
  {
    provide: KEY_READ_MODELS,
    inject: [MemoryKeyDirectory],
    useFactory: memoryOnly,
  },
];

/** The key directory in MongoDB, and this instance's verification cache in front of it. */
function mongoReadModels(settings: Extract<ReadModelsConfig, { kind: 'mongodb' }>): Provider[] {
  return [
    {
      provide: MongoKeyDirectory,
      inject: [MONGO_CONNECTION],
      useFactory: (mongo: MongoConnection) => new MongoKeyDirectory(mongo.db),
    },
    {
      provide: VerificationCache,
      inject: [EVENT_STORE, MongoKeyDirectory, FeedFreshness],
      useFactory: (store: EventStore, directory: MongoKeyDirectory, freshness: FeedFreshness) =>
        new VerificationCache(
          new MongoCacheMissSource(store, directory, (waitMs) => freshness.sharedHasFeed(waitMs)),
          { maxEntries: settings.cacheMaxKeys, negativeTtlMs: settings.negativeCacheMs },
        ),
    },
    { provide: KEY_DIRECTORY, useExisting: MongoKeyDirectory },
    { provide: VERIFICATION_INDEX, useExisting: VerificationCache },
    {
      provide: KEY_READ_MODELS,
      inject: [MongoKeyDirectory, VerificationCache],
      useFactory: (directory: MongoKeyDirectory, cache: VerificationCache): FeatureReadModels => ({
        local: [],
        shared: [directory],
        fed: [cache],
      }),
    },
  ];
}

/** API keys: their lifecycle, listing, point-in-time reads and verification. */
@Module({})
export class KeysModule {
  static forRoot(readModels: ReadModelsConfig): DynamicModule {
    const mongo = readModels.kind === 'mongodb';
    return {
      module: KeysModule,
      global: true,
      // Express tries routes in registration order, one path match per route: the verify route,
      // which serves nearly every request, comes first. (Fastify looks routes up in a tree.)
      controllers: [VerifyController, KeysController],
      providers: [
        ...(mongo ? mongoReadModels(readModels) : memoryReadModels),
        KeyVerifier,
        KeyAsOf,
        CreateKeyHandler,
        UpdateKeyHandler,
        RotateKeyHandler,
        RevokeKeyHandler,
      ],
      exports: [
        KEY_DIRECTORY,
        KEY_READ_MODELS,
        ...(mongo ? [VerificationCache] : [KEY_OWNER_LOOKUP]),
        KeyVerifier,
      ],
    };
  }
}
