import { Module, type DynamicModule } from '@nestjs/common';
import { memoryOnly } from '../projections/feature-read-models';
import { CreateTenantHandler } from './commands/create-tenant/create-tenant.handler';
import { TenantsController } from './http/tenants.controller';
import { MemoryTenantDirectory } from './read-models/memory/memory-tenant-directory';
import { TENANT_DIRECTORY } from './read-models/tenant-directory.port';

export const TENANT_READ_MODELS = Symbol('TenantReadModels');

/** Tenants: creation, lookup, and their directory, in memory on every instance. */
@Module({})
export class TenantsModule {
  static forRoot(): DynamicModule {
    return {
      module: TenantsModule,
      global: true,
      controllers: [TenantsController],
      providers: [
        MemoryTenantDirectory,
        { provide: TENANT_DIRECTORY, useExisting: MemoryTenantDirectory },
        {
          provide: TENANT_READ_MODELS,
          inject: [MemoryTenantDirectory],
          useFactory: memoryOnly,
        },
        CreateTenantHandler,
      ],
      exports: [TENANT_DIRECTORY, TENANT_READ_MODELS],
    };
  }
}
