import { deciderSpec, invalidFields } from '../../../test/support/decider-spec';
import {
  ACTOR,
  apiKeyCreated,
  apiKeyRevoked,
  apiKeyRotated,
  createKeyCommand,
  CREATED_AT,
  isoAt,
  NOW,
  OTHER_TENANT_ID,
  revokeKeyCommand,
  rotateKeyCommand,
  secondsAfter,
  updateKeyCommand,
} from '../../../test/support/factories';
import { Conflict, NotFound, ValidationFailed } from '../../shared/errors';
import {
  decideApiKey,
  type ApiKeyCommand,
  type CreateKey,
  type CreateReplacementKey,
  type ReplacedKey,
} from './api-key.decide';
import type { ApiKeyCreated, ApiKeyEvent, KeyMetadata } from './api-key.events';
import { evolveApiKey, initialApiKeyState, type ApiKeyState } from './api-key.state';
import type { KeySettingsInput } from './key-settings';

/** The decider under test folds events without their metadata, so they all occur at CREATED_AT. */
const evolve = (state: ApiKeyState, event: ApiKeyEvent) => evolveApiKey(state, event, CREATED_AT);
const spec = deciderSpec(decideApiKey, evolve, initialApiKeyState, NOW);

const refOf = ({ data }: { data: { keyId: string; tenantId: string } }) => ({
  keyId: data.keyId,
  tenantId: data.tenantId,
});

function stateAfter(events: readonly ApiKeyEvent[]): Extract<ApiKeyState, { exists: true }> {
  const state = events.reduce(evolve, initialApiKeyState);
  if (!state.exists) throw new Error('the events create no key');
  return state;
}

/** The event a valid CreateKey whose settings need no normalising decides at NOW. */
const createdFrom = (command: CreateKey): ApiKeyCreated => ({
  type: 'ApiKeyCreated',
  data: { ...command.data, createdAt: NOW.toISOString(), rotatedFrom: null },
});

describe('API key decider', () => {
  describe('CreateKey', () => {
    it('creates the key with its settings, at now, not rotated from anything', () => {
      const command = createKeyCommand({
        keyId: '00000000-0000-4000-8000-00000000c0de',
        name: 'Checkout service',
        environment: 'test',
        scopes: ['orders:read', 'orders:write'],
        expiresAt: '2026-09-01T00:00:00.000Z',
        rateLimit: { limit: 100, windowSeconds: 60 },
        allowedIps: ['10.0.0.0/8', '2001:db8::/32'],
        metadata: { team: 'payments', tier: 2, internal: true, owner: null },
      });
      spec
        .given([])
        .when(command)
        .then([
          {
            type: 'ApiKeyCreated',
            data: {
              keyId: '00000000-0000-4000-8000-00000000c0de',
              tenantId: 'acme',
              name: 'Checkout service',
              environment: 'test',
              kind: 'secret',
              scopes: ['orders:read', 'orders:write'],
              expiresAt: '2026-09-01T00:00:00.000Z',
              rateLimit: { limit: 100, windowSeconds: 60 },
              allowedIps: ['10.0.0.0/8', '2001:db8::/32'],
              allowedOrigins: null,
              metadata: { team: 'payments', tier: 2, internal: true, owner: null },
              keyHash: 'a'.repeat(64),
              hint: 'kl_live_4fT9…Qx2a',
              createdAt: '2026-03-01T12:00:00.000Z',
              createdBy: ACTOR,
              rotatedFrom: null,
            },
          },
        ]);
    });

    it('stamps createdAt with the time it is decided at', () => {
      const command = createKeyCommand();
      const later = secondsAfter(NOW, 90);
      spec
        .given([])
        .when(command, later)
        .then([
          {
            type: 'ApiKeyCreated',
            data: { ...command.data, createdAt: later.toISOString(), rotatedFrom: null },
          },
        ]);
    });

    it('normalises: scopes deduplicated in order, origins normalised, expiry in ISO UTC', () => {
      const command = createKeyCommand({
        kind: 'publishable',
        scopes: ['orders:read', 'orders:write', 'orders:read'],
        allowedOrigins: [
          'https://App.Example.com:443/',
          'https://app.example.com',
          'http://localhost:3000',
        ],
        expiresAt: '2026-06-01T14:00:00+02:00',
      });
      const expected = createdFrom(command);
      spec
        .given([])
        .when(command)
        .then([
          {
            ...expected,
            data: {
              ...expected.data,
              scopes: ['orders:read', 'orders:write'],
              allowedOrigins: ['https://app.example.com', 'http://localhost:3000'],
              expiresAt: '2026-06-01T12:00:00.000Z',
            },
          },
        ]);
    });

    it.each<[string, Partial<CreateKey['data']>]>([
      ['a 100-character name', { name: 'x'.repeat(100) }],
      ['100 scopes', { scopes: Array.from({ length: 100 }, (_, i) => `scope${i}:read`) }],
      ['metadata of exactly 4096 bytes of JSON', { metadata: { notes: 'x'.repeat(4084) } }],
      ['an expiry one second from now', { expiresAt: isoAt(1) }],
      ['a publishable key with origins', { kind: 'publishable', allowedOrigins: ['https://a.io'] }],
    ])('accepts %s', (_, overrides) => {
      const command = createKeyCommand(overrides);
      spec
        .given([])
        .when(command)
        .then([createdFrom(command)]);
    });

    it('refuses a key id that already exists', () => {
      const existing = apiKeyCreated();
      spec
        .given([existing])
        .when(createKeyCommand({ keyId: existing.data.keyId }))
        .thenThrows(Conflict, 'KEY_EXISTS');
    });

    it.each<[string, Partial<CreateKey['data']>, string[]]>([
      ['an expiry in the past', { expiresAt: isoAt(-1) }, ['expiresAt']],
      ['an expiry of exactly now', { expiresAt: isoAt(0) }, ['expiresAt']],
      ['an expiry that is not a date', { expiresAt: 'someday' }, ['expiresAt']],
      ['a 101-character name', { name: 'x'.repeat(101) }, ['name']],
      ['an empty name', { name: '' }, ['name']],
      ['a blank name', { name: '   ' }, ['name']],
      ['101 scopes', { scopes: Array.from({ length: 101 }, (_, i) => `s${i}:read`) }, ['scopes']],
      ['a scope with a space', { scopes: ['orders:read', 'orders: write'] }, ['scopes[1]']],
      ['an invalid CIDR', { allowedIps: ['10.0.0.0/8', '10.0.0.0/33'] }, ['allowedIps[1]']],
      [
        'allowedOrigins on a secret key',
        { kind: 'secret', allowedOrigins: ['https://app.example.com'] },
        ['allowedOrigins'],
      ],
      [
        'an origin with a path',
        { kind: 'publishable', allowedOrigins: ['https://app.example.com/login'] },
        ['allowedOrigins[0]'],
      ],
      [
        'nested metadata',
        { metadata: { team: { name: 'payments' } } as unknown as KeyMetadata },
        ['metadata.team'],
      ],
      ['metadata over 4 KiB', { metadata: { notes: 'x'.repeat(4085) } }, ['metadata']],
      ['metadata over 4 KiB in bytes', { metadata: { notes: 'é'.repeat(2043) } }, ['metadata']],
      ['a zero rate limit', { rateLimit: { limit: 0, windowSeconds: 60 } }, ['rateLimit.limit']],
      [
        'a rate-limit window over a day',
        { rateLimit: { limit: 10, windowSeconds: 86_401 } },
        ['rateLimit.windowSeconds'],
      ],
    ])('refuses %s as ValidationFailed naming the field', (_, overrides, fields) => {
      spec
        .given([])
        .when(createKeyCommand(overrides))
        .thenThrows(ValidationFailed, invalidFields(...fields));
    });

    it('lists every problem at once', () => {
      spec
        .given([])
        .when(createKeyCommand({ name: '', expiresAt: isoAt(-1), allowedIps: ['nope'] }))
        .thenThrows(ValidationFailed, invalidFields('name', 'expiresAt', 'allowedIps[0]'));
    });
  });

  describe('UpdateKey', () => {
    const created = apiKeyCreated({
      kind: 'publishable',
      scopes: ['orders:read'],
      expiresAt: isoAt(86_400),
      rateLimit: { limit: 100, windowSeconds: 60 },
      allowedIps: ['10.0.0.0/8'],
      allowedOrigins: ['https://app.example.com'],
      metadata: { team: 'billing', tier: 'gold' },
    });
    const ref = refOf(created);

    it.each<[string, KeySettingsInput, ApiKeyEvent]>([
      [
        'a new name',
        { name: 'Billing' },
        { type: 'ApiKeyRenamed', data: { ...ref, name: 'Billing' } },
      ],
      [
        'new scopes (deduplicated)',
        { scopes: ['orders:read', 'orders:write', 'orders:write'] },
        { type: 'ApiKeyScopesChanged', data: { ...ref, scopes: ['orders:read', 'orders:write'] } },
      ],
      [
        'a new expiry (in ISO UTC)',
        { expiresAt: '2026-06-01T14:00:00+02:00' },
        { type: 'ApiKeyExpiryChanged', data: { ...ref, expiresAt: '2026-06-01T12:00:00.000Z' } },
      ],
      [
        'no expiry any more',
        { expiresAt: null },
        { type: 'ApiKeyExpiryChanged', data: { ...ref, expiresAt: null } },
      ],
      [
        'a new rate limit',
        { rateLimit: { limit: 10, windowSeconds: 1 } },
        {
          type: 'ApiKeyRateLimitChanged',
          data: { ...ref, rateLimit: { limit: 10, windowSeconds: 1 } },
        },
      ],
      [
        'no rate limit any more',
        { rateLimit: null },
        { type: 'ApiKeyRateLimitChanged', data: { ...ref, rateLimit: null } },
      ],
      [
        'new metadata',
        { metadata: { team: 'payments' } },
        { type: 'ApiKeyMetadataChanged', data: { ...ref, metadata: { team: 'payments' } } },
      ],
      [
        'no metadata any more',
        { metadata: null },
        { type: 'ApiKeyMetadataChanged', data: { ...ref, metadata: null } },
      ],
    ])('emits one event for %s', (_, changes, event) => {
      spec.given([created]).when(updateKeyCommand(ref, changes)).then([event]);
    });

    it('emits one event per kind of change, in the decider’s order whatever the input order', () => {
      spec
        .given([created])
        .when(
          updateKeyCommand(ref, {
            metadata: { team: 'payments' },
            allowedOrigins: ['https://shop.example.com'],
            allowedIps: ['192.168.0.0/16'],
            rateLimit: { limit: 5, windowSeconds: 1 },
            expiresAt: isoAt(3600),
            scopes: ['orders:write'],
            name: 'Shop frontend',
          }),
        )
        .then([
          { type: 'ApiKeyRenamed', data: { ...ref, name: 'Shop frontend' } },
          { type: 'ApiKeyScopesChanged', data: { ...ref, scopes: ['orders:write'] } },
          { type: 'ApiKeyExpiryChanged', data: { ...ref, expiresAt: isoAt(3600) } },
          {
            type: 'ApiKeyRateLimitChanged',
            data: { ...ref, rateLimit: { limit: 5, windowSeconds: 1 } },
          },
          {
            type: 'ApiKeyRestrictionsChanged',
            data: {
              ...ref,
              allowedIps: ['192.168.0.0/16'],
              allowedOrigins: ['https://shop.example.com'],
            },
          },
          { type: 'ApiKeyMetadataChanged', data: { ...ref, metadata: { team: 'payments' } } },
        ]);
    });

    it('emits nothing when every value given equals the current one once normalised', () => {
      spec
        .given([created])
        .when(
          updateKeyCommand(ref, {
            name: 'Production backend',
            scopes: ['orders:read', 'orders:read'],
            expiresAt: '2026-03-02T14:00:00+02:00',
            rateLimit: { limit: 100, windowSeconds: 60 },
            allowedIps: ['10.0.0.0/8'],
            allowedOrigins: ['HTTPS://App.Example.com:443'],
            metadata: { team: 'billing', tier: 'gold' },
          }),
        )
        .then([]);
    });

    it('emits nothing for an empty change set', () => {
      spec.given([created]).when(updateKeyCommand(ref, {})).then([]);
    });

    // Metadata is a JSON object: the order of its entries carries no meaning.
    it('emits nothing when metadata has the same entries in another order', () => {
      spec
        .given([created])
        .when(updateKeyCommand(ref, { metadata: { tier: 'gold', team: 'billing' } }))
        .then([]);
    });

    it('keeps the allowed origins when only allowedIps changes', () => {
      spec
        .given([created])
        .when(updateKeyCommand(ref, { allowedIps: ['192.168.0.0/16'] }))
        .then([
          {
            type: 'ApiKeyRestrictionsChanged',
            data: {
              ...ref,
              allowedIps: ['192.168.0.0/16'],
              allowedOrigins: ['https://app.example.com'],
            },
          },
        ]);
    });

    it('keeps the allowed IPs when only allowedOrigins changes', () => {
      spec
        .given([created])
        .when(updateKeyCommand(ref, { allowedOrigins: ['https://Shop.Example.com/'] }))
        .then([
          {
            type: 'ApiKeyRestrictionsChanged',
            data: {
              ...ref,
              allowedIps: ['10.0.0.0/8'],
              allowedOrigins: ['https://shop.example.com'],
            },
          },
        ]);
    });

    it('clears one restriction and keeps the other', () => {
      spec
        .given([created])
        .when(updateKeyCommand(ref, { allowedIps: null }))
        .then([
          {
            type: 'ApiKeyRestrictionsChanged',
            data: { ...ref, allowedIps: null, allowedOrigins: ['https://app.example.com'] },
          },
        ]);
    });

    it('refuses allowedOrigins on a secret key', () => {
      const secret = apiKeyCreated({ kind: 'secret' });
      spec
        .given([secret])
        .when(updateKeyCommand(refOf(secret), { allowedOrigins: ['https://app.example.com'] }))
        .thenThrows(ValidationFailed, invalidFields('allowedOrigins'));
    });

    it.each<[string, KeySettingsInput, string]>([
      ['an empty name', { name: '' }, 'name'],
      ['an expiry in the past', { expiresAt: isoAt(-1) }, 'expiresAt'],
      ['an invalid CIDR', { allowedIps: ['10.0.0.300'] }, 'allowedIps[0]'],
    ])('refuses %s as ValidationFailed naming the field', (_, changes, field) => {
      spec
        .given([created])
        .when(updateKeyCommand(ref, changes))
        .thenThrows(ValidationFailed, invalidFields(field));
    });

    it('refuses to change a revoked key', () => {
      spec
        .given([created, apiKeyRevoked(ref)])
        .when(updateKeyCommand(ref, { name: 'Billing' }))
        .thenThrows(Conflict, 'KEY_REVOKED');
    });

    it('refuses to change a rotated key', () => {
      spec
        .given([created, apiKeyRotated(ref)])
        .when(updateKeyCommand(ref, { name: 'Billing' }))
        .thenThrows(Conflict, 'KEY_ROTATED');
    });

    it('answers a key of another tenant exactly like a missing one', () => {
      const notFound = { code: 'NOT_FOUND', message: 'API key not found' };
      spec
        .given([created])
        .when(updateKeyCommand({ ...ref, tenantId: OTHER_TENANT_ID }, { name: 'Billing' }))
        .thenThrows(NotFound, notFound);
      spec
        .given([])
        .when(updateKeyCommand(ref, { name: 'Billing' }))
        .thenThrows(NotFound, notFound);
    });
  });

  describe('RotateKey', () => {
    const created = apiKeyCreated();
    const ref = refOf(created);

    it('ends the grace period gracePeriodSeconds after now', () => {
      const command = rotateKeyCommand(ref, { gracePeriodSeconds: 7200 });
      spec
        .given([created])
        .when(command)
        .then([
          {
            type: 'ApiKeyRotated',
            data: {
              ...ref,
              newKeyId: command.data.newKeyId,
              gracePeriodSeconds: 7200,
              graceEndsAt: '2026-03-01T14:00:00.000Z',
              rotatedAt: '2026-03-01T12:00:00.000Z',
            },
          },
        ]);
    });

    it.each([
      [0, '2026-03-01T12:00:00.000Z'],
      [30 * 86_400, '2026-03-31T12:00:00.000Z'],
    ])('accepts a grace of %i seconds (ends at %s)', (gracePeriodSeconds, graceEndsAt) => {
      const command = rotateKeyCommand(ref, { gracePeriodSeconds });
      spec
        .given([created])
        .when(command)
        .then([
          {
            type: 'ApiKeyRotated',
            data: {
              ...ref,
              newKeyId: command.data.newKeyId,
              gracePeriodSeconds,
              graceEndsAt,
              rotatedAt: NOW.toISOString(),
            },
          },
        ]);
    });

    it.each([-1, 30 * 86_400 + 1, 1.5, Number.NaN])(
      'refuses a grace of %p seconds as ValidationFailed',
      (gracePeriodSeconds) => {
        spec
          .given([created])
          .when(rotateKeyCommand(ref, { gracePeriodSeconds }))
          .thenThrows(ValidationFailed, invalidFields('gracePeriodSeconds'));
      },
    );

    it.each([
      ['expired a minute ago', isoAt(-60)],
      ['expiring exactly now', isoAt(0)],
    ])('refuses a key %s', (_, expiresAt) => {
      const expiring = apiKeyCreated({ expiresAt });
      spec
        .given([expiring])
        .when(rotateKeyCommand(refOf(expiring)))
        .thenThrows(Conflict, 'KEY_EXPIRED');
    });

    it('refuses a revoked key', () => {
      spec
        .given([created, apiKeyRevoked(ref)])
        .when(rotateKeyCommand(ref))
        .thenThrows(Conflict, 'KEY_REVOKED');
    });

    it.each([
      ['in its grace period', isoAt(3600)],
      ['after its grace period', isoAt(-3600)],
    ])('refuses a key already rotated, %s', (_, graceEndsAt) => {
      spec
        .given([created, apiKeyRotated(ref, { graceEndsAt })])
        .when(rotateKeyCommand(ref))
        .thenThrows(Conflict, 'KEY_ROTATED');
    });

    // The replacement is decided on its own stream after ApiKeyRotated is appended here: a
    // rotation its replacement would refuse must be refused first, before anything is written.
    it('refuses a key whose settings its replacement could not be created with', () => {
      const unfit = apiKeyCreated({ scopes: Array.from({ length: 101 }, (_, i) => `s${i}:read`) });
      spec
        .given([unfit])
        .when(rotateKeyCommand(refOf(unfit)))
        .thenThrows(ValidationFailed, invalidFields('scopes'));
    });

    it('answers a missing key or one of another tenant with NotFound', () => {
      spec.given([]).when(rotateKeyCommand(ref)).thenThrows(NotFound, 'NOT_FOUND');
      spec
        .given([created])
        .when(rotateKeyCommand({ ...ref, tenantId: OTHER_TENANT_ID }))
        .thenThrows(NotFound, 'NOT_FOUND');
    });
  });

  describe('RevokeKey', () => {
    const created = apiKeyCreated();
    const ref = refOf(created);
    const revokedNow = (reason: string | null): ApiKeyEvent => ({
      type: 'ApiKeyRevoked',
      data: { ...ref, reason, revokedAt: NOW.toISOString() },
    });

    it('revokes the key now and keeps the reason', () => {
      spec
        .given([created])
        .when(revokeKeyCommand(ref, 'leaked in a public repository'))
        .then([revokedNow('leaked in a public repository')]);
    });

    it('revokes without a reason', () => {
      spec
        .given([created])
        .when(revokeKeyCommand(ref))
        .then([revokedNow(null)]);
    });

    it('refuses a key already revoked', () => {
      spec
        .given([created, apiKeyRevoked(ref)])
        .when(revokeKeyCommand(ref))
        .thenThrows(Conflict, 'KEY_ALREADY_REVOKED');
    });

    it.each<[string, ApiKeyEvent[]]>([
      ['an expired key', [apiKeyCreated({ ...ref, expiresAt: isoAt(-60) })]],
      ['a key in its rotation grace period', [created, apiKeyRotated(ref)]],
      [
        'a rotated key after its grace period',
        [created, apiKeyRotated(ref, { graceEndsAt: isoAt(-60) })],
      ],
    ])('revokes %s', (_, given) => {
      spec
        .given(given)
        .when(revokeKeyCommand(ref, 'offboarding'))
        .then([revokedNow('offboarding')]);
    });

    it('answers a missing key or one of another tenant with NotFound', () => {
      spec.given([]).when(revokeKeyCommand(ref)).thenThrows(NotFound, 'NOT_FOUND');
      spec
        .given([created])
        .when(revokeKeyCommand({ ...ref, tenantId: OTHER_TENANT_ID }))
        .thenThrows(NotFound, 'NOT_FOUND');
    });
  });

  describe('CreateReplacementKey', () => {
    const old = apiKeyCreated({
      name: 'Storefront',
      environment: 'test',
      kind: 'publishable',
      scopes: ['catalog:read'],
      expiresAt: isoAt(86_400),
      rateLimit: { limit: 50, windowSeconds: 10 },
      allowedIps: ['203.0.113.0/24'],
      allowedOrigins: ['https://shop.example.com'],
      metadata: { team: 'web' },
      createdBy: 'cli:admin',
    });
    const newKeyId = '00000000-0000-4000-8000-0000000000aa';
    /** What the rotate handler hands over: the rotated key's state, as folded from its stream. */
    const rotated = stateAfter([old, apiKeyRotated(refOf(old), { newKeyId })]);
    const replace = (replaces: ReplacedKey = rotated): CreateReplacementKey => ({
      type: 'CreateReplacementKey',
      data: {
        keyId: newKeyId,
        replaces,
        keyHash: 'c'.repeat(64),
        hint: 'kl_pk_test_9Zq1…Lw0e',
        createdBy: ACTOR,
      },
    });

    it('creates the new key with the old one’s settings, its own secret, at now, rotatedFrom set', () => {
      spec
        .given([])
        .when(replace())
        .then([
          {
            type: 'ApiKeyCreated',
            data: {
              keyId: newKeyId,
              tenantId: old.data.tenantId,
              name: 'Storefront',
              environment: 'test',
              kind: 'publishable',
              scopes: ['catalog:read'],
              expiresAt: isoAt(86_400),
              rateLimit: { limit: 50, windowSeconds: 10 },
              allowedIps: ['203.0.113.0/24'],
              allowedOrigins: ['https://shop.example.com'],
              metadata: { team: 'web' },
              keyHash: 'c'.repeat(64),
              hint: 'kl_pk_test_9Zq1…Lw0e',
              createdAt: NOW.toISOString(),
              createdBy: ACTOR,
              rotatedFrom: old.data.keyId,
            },
          },
        ]);
    });

    it('writes the payload of a created key field for field, in the same order', () => {
      const [created] = decideApiKey(replace(), initialApiKeyState, NOW);
      const [direct] = decideApiKey(createKeyCommand(), initialApiKeyState, NOW);
      expect(Object.keys(created.data)).toStrictEqual(Object.keys(direct.data));
    });

    it('keeps a key without expiry, limits or restrictions as it is', () => {
      const plain = apiKeyCreated({ expiresAt: null, rateLimit: null, allowedIps: null });
      const command = replace(stateAfter([plain, apiKeyRotated(refOf(plain), { newKeyId })]));
      const [created] = decideApiKey(command, initialApiKeyState, NOW);
      expect(created.data).toMatchObject({
        expiresAt: null,
        rateLimit: null,
        allowedIps: null,
        allowedOrigins: null,
        metadata: null,
        rotatedFrom: plain.data.keyId,
      });
    });

    it('keeps an expiry stored past the year 9999, which a request could not spell', () => {
      const farOff = apiKeyCreated({ expiresAt: '+010000-01-01T01:00:00.000Z' });
      const command = replace(stateAfter([farOff]));
      const [created] = decideApiKey(command, initialApiKeyState, NOW);
      expect(created.data).toMatchObject({ expiresAt: '+010000-01-01T01:00:00.000Z' });
    });

    it('decides nothing on a stream that already holds a key: a retried rotation', () => {
      spec
        .given([apiKeyCreated({ keyId: newKeyId, rotatedFrom: old.data.keyId })])
        .when(replace())
        .then([]);
    });

    it.each([
      ['expired a minute ago', isoAt(-60)],
      ['expiring exactly now', isoAt(0)],
    ])('refuses to replace a key %s', (_, expiresAt) => {
      spec
        .given([])
        .when(replace(stateAfter([apiKeyCreated({ expiresAt })])))
        .thenThrows(Conflict, 'KEY_EXPIRED');
    });

    it('refuses settings a created key could not have, as ValidationFailed naming them', () => {
      const scopes = Array.from({ length: 101 }, (_, i) => `s${i}:read`);
      spec
        .given([])
        .when(replace({ ...rotated, name: ' ', scopes }))
        .thenThrows(ValidationFailed, invalidFields('name', 'scopes'));
    });
  });

  it('throws on a command it does not know', () => {
    const unknown = { type: 'RenameKey', data: {} } as unknown as ApiKeyCommand;
    spec.given([]).when(unknown).thenThrows(Error, 'Unknown command: RenameKey');
  });
});
