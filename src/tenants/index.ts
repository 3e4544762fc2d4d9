/** What the tenants feature offers the others; anything else in this folder is its own. */
export { TenantsModule, TENANT_READ_MODELS } from './tenants.module';
export { TENANT_DIRECTORY, type TenantDirectory } from './read-models/tenant-directory.port';
export { tenantDecider, tenantStream } from './domain/tenant';
export { CreateTenantCommand } from './commands/create-tenant/create-tenant.command';
export type { TenantView } from './commands/create-tenant/create-tenant.handler';
