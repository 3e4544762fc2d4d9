import {
  apiKeyCreated,
  apiKeyRevoked,
  apiKeyRotated,
  CREATED_AT,
  isoAt,
  NOW,
  secondsAfter,
} from '../../../test/support/factories';
import type { ApiKeyEvent } from './api-key.events';
import {
  deriveStatus,
  effectiveExpiry,
  evolveApiKey,
  initialApiKeyState,
  type ApiKeyFields,
  type ApiKeyState,
} from './api-key.state';

/** The decider under test folds events without their metadata, so they all occur at CREATED_AT. */
const evolve = (state: ApiKeyState, event: ApiKeyEvent) => evolveApiKey(state, event, CREATED_AT);

const refOf = ({ data }: { data: { keyId: string; tenantId: string } }) => ({
  keyId: data.keyId,
  tenantId: data.tenantId,
});

function stateAfter(events: readonly ApiKeyEvent[]): Extract<ApiKeyState, { exists: true }> {
  const state = events.reduce(evolve, initialApiKeyState);
  if (!state.exists) throw new Error('the events create no key');
  return state;
}

describe('API key state', () => {
  describe('evolveApiKey', () => {
    const created = apiKeyCreated({ metadata: { team: 'billing' } });
    const ref = refOf(created);
    const createdState = stateAfter([created]);
    const LATER = isoAt(120);

    it('ApiKeyCreated makes a key neither revoked nor rotated, updated when created', () => {
      expect(evolveApiKey(initialApiKeyState, created, CREATED_AT)).toStrictEqual({
        exists: true,
        ...created.data,
        revokedAt: null,
        revocationReason: null,
        rotatedTo: null,
        graceEndsAt: null,
        updatedAt: CREATED_AT,
      });
    });

    const changes: [ApiKeyEvent, Partial<ApiKeyFields>][] = [
      [{ type: 'ApiKeyRenamed', data: { ...ref, name: 'Billing' } }, { name: 'Billing' }],
      [{ type: 'ApiKeyScopesChanged', data: { ...ref, scopes: ['a:b'] } }, { scopes: ['a:b'] }],
      [
        { type: 'ApiKeyExpiryChanged', data: { ...ref, expiresAt: isoAt(60) } },
        { expiresAt: isoAt(60) },
      ],
      [
        {
          type: 'ApiKeyRateLimitChanged',
          data: { ...ref, rateLimit: { limit: 1, windowSeconds: 1 } },
        },
        { rateLimit: { limit: 1, windowSeconds: 1 } },
      ],
      [
        {
          type: 'ApiKeyRestrictionsChanged',
          data: { ...ref, allowedIps: ['10.0.0.0/8'], allowedOrigins: null },
        },
        { allowedIps: ['10.0.0.0/8'], allowedOrigins: null },
      ],
      [{ type: 'ApiKeyMetadataChanged', data: { ...ref, metadata: null } }, { metadata: null }],
      [
        apiKeyRotated(ref, {
          newKeyId: '00000000-0000-4000-8000-0000000000bb',
          graceEndsAt: LATER,
        }),
        { rotatedTo: '00000000-0000-4000-8000-0000000000bb', graceEndsAt: LATER },
      ],
      [
        apiKeyRevoked(ref, { reason: 'leaked', revokedAt: LATER }),
        { revokedAt: LATER, revocationReason: 'leaked' },
      ],
    ];
    it.each(changes.map(([event, change]) => [event.type, event, change] as const))(
      '%s changes only what it carries, and updatedAt',
      (_, event, change) => {
        expect(evolveApiKey(createdState, event, LATER)).toStrictEqual({
          ...createdState,
          ...change,
          updatedAt: LATER,
        });
      },
    );

    it('ignores a change to a key it has not seen created', () => {
      const renamed: ApiKeyEvent = { type: 'ApiKeyRenamed', data: { ...ref, name: 'Billing' } };
      expect(evolveApiKey(initialApiKeyState, renamed, LATER)).toStrictEqual({ exists: false });
    });

    it('leaves the state as it is, updatedAt too, for an event type it does not know', () => {
      const leaked = { type: 'ApiKeyLeakReported', data: ref } as unknown as ApiKeyEvent;
      expect(evolveApiKey(createdState, leaked, LATER)).toBe(createdState);
      expect(evolveApiKey(initialApiKeyState, leaked, LATER)).toBe(initialApiKeyState);
    });
  });

  describe('deriveStatus', () => {
    const never = { revokedAt: null, expiresAt: null, graceEndsAt: null };
    const at = (seconds: number) => secondsAfter(NOW, seconds);

    it('is active when nothing ends the key, however late', () => {
      expect(deriveStatus(never, new Date('2099-01-01T00:00:00Z'))).toBe('active');
    });

    it('is active until expiresAt and expired from exactly expiresAt', () => {
      const key = { ...never, expiresAt: NOW.toISOString() };
      expect(deriveStatus(key, new Date(NOW.getTime() - 1))).toBe('active');
      expect(deriveStatus(key, NOW)).toBe('expired');
      expect(deriveStatus(key, at(60))).toBe('expired');
    });

    it('is revoked once revoked, even past its expiry', () => {
      const key = { revokedAt: isoAt(-120), expiresAt: isoAt(-60), graceEndsAt: null };
      expect(deriveStatus(key, NOW)).toBe('revoked');
    });

    it('keeps a rotated key active during its grace and expired from its end', () => {
      const key = { ...never, graceEndsAt: NOW.toISOString() };
      expect(deriveStatus(key, new Date(NOW.getTime() - 1))).toBe('active');
      expect(deriveStatus(key, NOW)).toBe('expired');
    });

    it('expires a rotated key at its own expiry when that comes before the grace ends', () => {
      const key = { ...never, expiresAt: isoAt(60), graceEndsAt: isoAt(3600) };
      expect(deriveStatus(key, at(59))).toBe('active');
      expect(deriveStatus(key, at(60))).toBe('expired');
    });

    it('expires a rotated key when its grace ends even if its expiry is beyond year 9999', () => {
      const key = { ...never, expiresAt: '+010000-01-01T00:00:00.000Z', graceEndsAt: isoAt(60) };
      expect(deriveStatus(key, at(60))).toBe('expired');
    });
  });

  describe('effectiveExpiry', () => {
    it.each<[string | null, string | null, string | null]>([
      [null, null, null],
      ['2026-05-01T00:00:00.000Z', null, '2026-05-01T00:00:00.000Z'],
      [null, '2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
      ['2026-05-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
      ['2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
      ['+010000-01-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ])('expiresAt %p and graceEndsAt %p end the key at %p', (expiresAt, graceEndsAt, expected) => {
      expect(effectiveExpiry({ expiresAt, graceEndsAt })).toBe(expected);
    });
  });
});
