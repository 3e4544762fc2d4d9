import { Module, type DynamicModule } from '@nestjs/common';
import { memoryOnly } from '../projections/feature-read-models';
import { CreateRootKeyHandler } from './commands/create-root-key/create-root-key.handler';
import { RevokeRootKeyHandler } from './commands/revoke-root-key/revoke-root-key.handler';
import { RootKeysController } from './http/root-keys.controller';
import { MemoryRootKeyDirectory } from './read-models/memory/memory-root-key-directory';
import { ROOT_KEY_DIRECTORY } from './read-models/root-key-directory.port';

export const ROOT_KEY_READ_MODELS = Symbol('RootKeyReadModels');

/**
 * Root keys: the credentials for calling Keyledger, their directory (in memory on every
 * instance: the guard reads it synchronously on every request). The guard (`RootKeyGuard`) is
 * installed for every route by the application module.
 */
@Module({})
export class RootKeysModule {
  static forRoot(): DynamicModule {
    return {
      module: RootKeysModule,
      global: true,
      controllers: [RootKeysController],
      providers: [
        MemoryRootKeyDirectory,
        { provide: ROOT_KEY_DIRECTORY, useExisting: MemoryRootKeyDirectory },
        {
          provide: ROOT_KEY_READ_MODELS,
          inject: [MemoryRootKeyDirectory],
          useFactory: memoryOnly,
        },
        CreateRootKeyHandler,
        RevokeRootKeyHandler,
      ],
      exports: [ROOT_KEY_DIRECTORY, ROOT_KEY_READ_MODELS],
    };
  }
}
