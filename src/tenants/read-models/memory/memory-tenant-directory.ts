import { Injectable } from '@nestjs/common';
import { asDomainEvent } from '../../../event-store/recorded-events';
import type { RecordedEvent } from '../../../event-store/event-store.port';
import type { TenantEvent } from '../../domain/tenant';
import type { TenantDirectory, TenantRecord } from '../tenant-directory.port';

@Injectable()
export class MemoryTenantDirectory implements TenantDirectory {
  readonly name = 'tenant-directory';
  readonly filter = { streamPrefixes: ['tenant-'] };
  private readonly tenants = new Map<string, TenantRecord>();

  apply(event: RecordedEvent): void {
    const domainEvent = asDomainEvent<TenantEvent>(event);
    if (domainEvent.type === 'TenantCreated' && !this.tenants.has(domainEvent.data.tenantId)) {
      this.tenants.set(domainEvent.data.tenantId, domainEvent.data);
    }
  }

  find(tenantId: string): Promise<TenantRecord | undefined> {
    return Promise.resolve(this.tenants.get(tenantId));
  }
}
