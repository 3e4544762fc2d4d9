import { KEY_PREFIX_PATTERN, TENANT_ID_PATTERN } from '../../shared/tenant-id';
import { Conflict, ValidationFailed, type ValidationDetail } from '../../shared/errors';
import {
  eventTypes,
  ignoreUnknownEvent,
  rejectUnknownCommand,
  type StreamDecider,
} from '../../shared/decider';

export interface TenantCreated {
  readonly type: 'TenantCreated';
  readonly data: {
    readonly tenantId: string;
    readonly name: string;
    readonly keyPrefix: string;
    readonly createdAt: string;
    readonly createdBy: string;
  };
}

export type TenantEvent = TenantCreated;

export const TENANT_EVENT_TYPES = eventTypes<TenantEvent>({ TenantCreated: true });

export type TenantState =
  { readonly exists: false } | ({ readonly exists: true } & TenantCreated['data']);

export const initialTenantState: TenantState = { exists: false };

export interface CreateTenant {
  readonly type: 'CreateTenant';
  readonly data: {
    readonly tenantId: string;
    readonly name: string;
    readonly keyPrefix: string;
    readonly createdBy: string;
  };
}

export type TenantCommand = CreateTenant;

export const tenantStream = (tenantId: string): string => `tenant-${tenantId}`;

export function evolveTenant(state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'TenantCreated':
      return { exists: true, ...event.data };
    default:
      return ignoreUnknownEvent(event.type, state);
  }
}

export function decideTenant(command: TenantCommand, state: TenantState, now: Date): TenantEvent[] {
  switch (command.type) {
    case 'CreateTenant': {
      const { tenantId, name, keyPrefix, createdBy } = command.data;
      const problems: ValidationDetail[] = [];
      if (!TENANT_ID_PATTERN.test(tenantId)) {
        problems.push({
          field: 'tenantId',
          message: 'tenantId must match [a-z0-9][a-z0-9-]{2,39}',
        });
      }
      if (name.trim().length === 0 || name.length > 100) {
        problems.push({ field: 'name', message: 'name must be 1 to 100 characters' });
      }
      if (!KEY_PREFIX_PATTERN.test(keyPrefix) || keyPrefix === 'klr') {
        problems.push({
          field: 'keyPrefix',
          message: "keyPrefix must match [a-z][a-z0-9]{1,11} and not be 'klr'",
        });
      }
      if (problems.length > 0) throw new ValidationFailed('Invalid tenant', problems);
      if (state.exists) throw new Conflict('TENANT_EXISTS', `Tenant '${tenantId}' already exists`);
      return [
        {
          type: 'TenantCreated',
          data: { tenantId, name, keyPrefix, createdAt: now.toISOString(), createdBy },
        },
      ];
    }
    default:
      return rejectUnknownCommand(command.type);
  }
}

export const tenantDecider: StreamDecider<TenantState, TenantCommand, TenantEvent> = {
  initial: initialTenantState,
  eventTypes: TENANT_EVENT_TYPES,
  evolve: evolveTenant,
  decide: decideTenant,
};
