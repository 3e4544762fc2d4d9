import { deciderSpec, invalidFields } from '../../../test/support/decider-spec';
import { ACTOR, createTenantCommand, NOW, tenantCreated } from '../../../test/support/factories';
import { Conflict, ValidationFailed } from '../../shared/errors';
import {
  decideTenant,
  evolveTenant,
  initialTenantState,
  type CreateTenant,
  type TenantCommand,
  type TenantEvent,
} from './tenant';

const spec = deciderSpec(decideTenant, evolveTenant, initialTenantState, NOW);

describe('tenant decider', () => {
  describe('CreateTenant', () => {
    it('creates the tenant at now', () => {
      spec
        .given([])
        .when(createTenantCommand({ tenantId: 'acme-eu', name: 'Acme Europe', keyPrefix: 'acme' }))
        .then([
          {
            type: 'TenantCreated',
            data: {
              tenantId: 'acme-eu',
              name: 'Acme Europe',
              keyPrefix: 'acme',
              createdAt: '2026-03-01T12:00:00.000Z',
              createdBy: ACTOR,
            },
          },
        ]);
    });

    it.each<[string, Partial<CreateTenant['data']>]>([
      ['a 3-character tenant id', { tenantId: 'a-1' }],
      ['a 40-character tenant id', { tenantId: 'a'.repeat(40) }],
      ['a tenant id starting with a digit', { tenantId: '42acme' }],
      ['a 100-character name', { name: 'n'.repeat(100) }],
      ['a 2-character key prefix', { keyPrefix: 'kl' }],
      ['a 12-character key prefix', { keyPrefix: 'k'.repeat(12) }],
      ["a prefix that merely starts with 'klr'", { keyPrefix: 'klrx' }],
    ])('accepts %s', (_, overrides) => {
      const command = createTenantCommand(overrides);
      spec
        .given([])
        .when(command)
        .then([{ type: 'TenantCreated', data: { ...command.data, createdAt: NOW.toISOString() } }]);
    });

    it.each<[string, Partial<CreateTenant['data']>, string]>([
      ['a 2-character tenant id', { tenantId: 'ab' }, 'tenantId'],
      ['a 41-character tenant id', { tenantId: 'a'.repeat(41) }, 'tenantId'],
      ['an uppercase tenant id', { tenantId: 'Acme' }, 'tenantId'],
      ['a tenant id starting with a dash', { tenantId: '-acme' }, 'tenantId'],
      ['a tenant id with an underscore', { tenantId: 'acme_eu' }, 'tenantId'],
      ['an empty name', { name: '' }, 'name'],
      ['a blank name', { name: '  ' }, 'name'],
      ['a 101-character name', { name: 'n'.repeat(101) }, 'name'],
      ['a 1-character key prefix', { keyPrefix: 'k' }, 'keyPrefix'],
      ['a 13-character key prefix', { keyPrefix: 'k'.repeat(13) }, 'keyPrefix'],
      ['a key prefix starting with a digit', { keyPrefix: '1kl' }, 'keyPrefix'],
      ['an uppercase key prefix', { keyPrefix: 'Kl' }, 'keyPrefix'],
      ['a key prefix with an underscore', { keyPrefix: 'k_l' }, 'keyPrefix'],
      ["the root-key prefix 'klr'", { keyPrefix: 'klr' }, 'keyPrefix'],
    ])('refuses %s as ValidationFailed naming the field', (_, overrides, field) => {
      spec
        .given([])
        .when(createTenantCommand(overrides))
        .thenThrows(ValidationFailed, invalidFields(field));
    });

    it('lists every problem at once', () => {
      spec
        .given([])
        .when(createTenantCommand({ tenantId: 'A', name: '', keyPrefix: 'klr' }))
        .thenThrows(ValidationFailed, invalidFields('tenantId', 'name', 'keyPrefix'));
    });

    it('refuses a tenant that already exists', () => {
      spec
        .given([tenantCreated({ tenantId: 'acme' })])
        .when(createTenantCommand({ tenantId: 'acme', name: 'Acme again' }))
        .thenThrows(Conflict, { code: 'TENANT_EXISTS', message: "Tenant 'acme' already exists" });
    });
  });

  describe('evolveTenant', () => {
    it('TenantCreated makes the tenant exist with its data', () => {
      const created = tenantCreated();
      expect(evolveTenant(initialTenantState, created)).toStrictEqual({
        exists: true,
        ...created.data,
      });
    });

    it('leaves the state as it is for an event type it does not know', () => {
      const state = evolveTenant(initialTenantState, tenantCreated());
      const renamed = { type: 'TenantRenamed', data: { name: 'x' } } as unknown as TenantEvent;
      expect(evolveTenant(state, renamed)).toBe(state);
    });
  });

  it('throws on a command it does not know', () => {
    const unknown = { type: 'RenameTenant', data: {} } as unknown as TenantCommand;
    spec.given([]).when(unknown).thenThrows(Error, 'Unknown command: RenameTenant');
  });
});
