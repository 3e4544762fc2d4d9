import type { TenantCreated } from '../domain/tenant';
import type { Projection } from '../../projections/projection';

export type TenantRecord = TenantCreated['data'];

/** Tenants by id. Idempotent: a tenant is created once. */
export interface TenantDirectory extends Projection {
  find(tenantId: string): Promise<TenantRecord | undefined>;
}

export const TENANT_DIRECTORY = Symbol('TenantDirectory');
