import { deciderSpec, invalidFields } from '../../../test/support/decider-spec';
import {
  ACTOR,
  createRootKeyCommand,
  NOW,
  revokeRootKeyCommand,
  rootKeyCreated,
  rootKeyRevoked,
} from '../../../test/support/factories';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../shared/errors';
import { ABILITIES, type Grantor } from './abilities';
import { decideRootKey, type CreateRootKey, type RootKeyCommand } from './root-key.decide';
import type { RootKeyCreated } from './root-key.events';
import { evolveRootKey, initialRootKeyState } from './root-key.state';

const spec = deciderSpec(decideRootKey, evolveRootKey, initialRootKeyState, NOW);

/** The event a valid CreateRootKey decides at NOW: its data without the grantor. */
function createdFrom({ data }: CreateRootKey): RootKeyCreated {
  const { grantor: _grantor, ...fields } = data;
  return { type: 'RootKeyCreated', data: { ...fields, createdAt: NOW.toISOString() } };
}

const grantor = (abilities: string[], tenants: Grantor['tenants'] = '*'): Grantor => ({
  abilities,
  tenants,
});

describe('root key decider', () => {
  describe('CreateRootKey', () => {
    it('creates the root key at now and does not record the grantor', () => {
      const command = createRootKeyCommand({
        rootKeyId: '00000000-0000-4000-8000-00000000beef',
        name: 'ci deployer',
        abilities: ['keys:read', 'keys:write'],
        tenants: ['acme', 'globex'],
        rateLimit: { limit: 10, windowSeconds: 1 },
        grantor: grantor(['*']),
      });
      spec
        .given([])
        .when(command)
        .then([
          {
            type: 'RootKeyCreated',
            data: {
              rootKeyId: '00000000-0000-4000-8000-00000000beef',
              name: 'ci deployer',
              abilities: ['keys:read', 'keys:write'],
              tenants: ['acme', 'globex'],
              rateLimit: { limit: 10, windowSeconds: 1 },
              keyHash: 'b'.repeat(64),
              hint: 'klr_9Zq1…Lw0e',
              createdAt: '2026-03-01T12:00:00.000Z',
              createdBy: ACTOR,
            },
          },
        ]);
    });

    it.each<[string, string[]]>([
      ["'*'", ['*']],
      ["'keys:*'", ['keys:*']],
      ["'*:read'", ['*:read']],
      ['every listed ability', [...ABILITIES]],
    ])('accepts the abilities %s', (_, abilities) => {
      const command = createRootKeyCommand({ abilities, tenants: '*' });
      spec
        .given([])
        .when(command)
        .then([createdFrom(command)]);
    });

    it.each<[string, Partial<CreateRootKey['data']>, string]>([
      ['no abilities', { abilities: [] }, 'abilities'],
      ['an unknown ability', { abilities: ['keys:read', 'keys:frobnicate'] }, 'abilities[1]'],
      ['an ability of an unknown resource', { abilities: ['billing:*'] }, 'abilities[0]'],
      ['an ability with a third segment', { abilities: ['keys:read:own'] }, 'abilities[0]'],
      ['an empty tenant list', { tenants: [] }, 'tenants'],
      ['an invalid tenant id', { tenants: ['acme', 'Not A Tenant'] }, 'tenants[1]'],
      ['an empty name', { name: ' ' }, 'name'],
      ['a 101-character name', { name: 'n'.repeat(101) }, 'name'],
      ['a zero rate limit', { rateLimit: { limit: 0, windowSeconds: 1 } }, 'rateLimit'],
    ])('refuses %s as ValidationFailed naming the field', (_, overrides, field) => {
      spec
        .given([])
        .when(createRootKeyCommand(overrides))
        .thenThrows(ValidationFailed, invalidFields(field));
    });

    it('refuses a root key id that already exists', () => {
      const existing = rootKeyCreated();
      spec
        .given([existing])
        .when(createRootKeyCommand({ rootKeyId: existing.data.rootKeyId }))
        .thenThrows(Conflict, 'ROOT_KEY_EXISTS');
    });

    it.each<[string, string[], string[], string]>([
      ['an ability it lacks', ['keys:read'], ['keys:read', 'keys:write'], 'keys:write'],
      [
        "'keys:*' without every keys ability",
        ['keys:read', 'keys:write'],
        ['keys:*'],
        'keys:delete',
      ],
      ["'*:read' with only one read", ['keys:read'], ['*:read'], 'tenants:read'],
      ["'*' without '*'", ['keys:*', 'tenants:*'], ['*'], 'usage:read'],
    ])('refuses a grantor giving %s', (_, held, wanted, missing) => {
      spec
        .given([])
        .when(createRootKeyCommand({ abilities: wanted, grantor: grantor(held) }))
        .thenThrows(Forbidden, `Missing ability: ${missing}`);
    });

    it.each<[string, string[], string[]]>([
      ['the abilities it holds', ['keys:read', 'keys:write'], ['keys:read', 'keys:write']],
      ['fewer abilities than it holds', ['keys:*'], ['keys:read']],
      ["'*' when it holds '*'", ['*'], ['*']],
      ["'keys:*' when it holds every keys ability", ['keys:*'], ['keys:*']],
    ])('lets a grantor give %s', (_, held, wanted) => {
      const command = createRootKeyCommand({ abilities: wanted, grantor: grantor(held) });
      spec
        .given([])
        .when(command)
        .then([createdFrom(command)]);
    });

    it.each<[string, Grantor['tenants']]>([
      ["'*'", '*'],
      ['another tenant', ['acme', 'globex']],
    ])('refuses a grantor bound to tenants giving access to %s', (_, tenants) => {
      spec
        .given([])
        .when(createRootKeyCommand({ tenants, grantor: grantor(['*'], ['acme', 'initech']) }))
        .thenThrows(Forbidden, 'Cannot grant access to tenants outside your own binding');
    });

    it('lets a grantor bound to tenants give access to some of them', () => {
      const command = createRootKeyCommand({
        tenants: ['initech'],
        grantor: grantor(['*'], ['acme', 'initech']),
      });
      spec
        .given([])
        .when(command)
        .then([createdFrom(command)]);
    });
  });

  describe('RevokeRootKey', () => {
    const created = rootKeyCreated();
    const { rootKeyId } = created.data;

    it('revokes the root key now and keeps the reason', () => {
      spec
        .given([created])
        .when(revokeRootKeyCommand(rootKeyId, 'laptop stolen'))
        .then([
          {
            type: 'RootKeyRevoked',
            data: { rootKeyId, reason: 'laptop stolen', revokedAt: NOW.toISOString() },
          },
        ]);
    });

    it('refuses a missing root key', () => {
      spec.given([]).when(revokeRootKeyCommand(rootKeyId)).thenThrows(NotFound, 'NOT_FOUND');
    });

    it('refuses to revoke twice', () => {
      spec
        .given([created, rootKeyRevoked(rootKeyId)])
        .when(revokeRootKeyCommand(rootKeyId))
        .thenThrows(Conflict, 'ROOT_KEY_ALREADY_REVOKED');
    });
  });

  it('throws on a command it does not know', () => {
    const unknown = { type: 'RenameRootKey', data: {} } as unknown as RootKeyCommand;
    spec.given([]).when(unknown).thenThrows(Error, 'Unknown command: RenameRootKey');
  });
});
