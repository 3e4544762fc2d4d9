import type {
  CreateKey,
  RevokeKey,
  RotateKey,
  UpdateKey,
} from '../../src/keys/domain/api-key.decide';
import type { ApiKeyRevoked, ApiKeyRotated } from '../../src/keys/domain/api-key.events';
import type { ApiKeyCreated } from '../../src/keys';
import type { KeySettingsInput } from '../../src/keys/domain/key-settings';
import type { Grantor } from '../../src/root-keys/domain/abilities';
import type { CreateRootKey, RevokeRootKey } from '../../src/root-keys/domain/root-key.decide';
import type { RootKeyCreated, RootKeyRevoked } from '../../src/root-keys/domain/root-key.events';
import type { CreateTenant, TenantCreated } from '../../src/tenants/domain/tenant';

/** Every spec decides at NOW; the keys it starts from were created a month before. */
export const NOW = new Date('2026-03-01T12:00:00.000Z');
export const CREATED_AT = '2026-02-01T09:30:00.000Z';
export const TENANT_ID = 'acme';
export const OTHER_TENANT_ID = 'globex';
export const ACTOR = 'root-key:00000000-0000-4000-8000-0000000000ff';

/** The instant `seconds` after (or before, if negative) `from`. */
export const secondsAfter = (from: Date, seconds: number): Date =>
  new Date(from.getTime() + seconds * 1000);

/** `secondsAfter(NOW, seconds)` as the ISO string events carry. */
export const isoAt = (seconds: number): string => secondsAfter(NOW, seconds).toISOString();

let lastId = 0;
/** Deterministic, v4-shaped UUIDs: …-000000000001, …-000000000002, … */
export function nextUuid(): string {
  lastId += 1;
  return `00000000-0000-4000-8000-${lastId.toString(16).padStart(12, '0')}`;
}

/** What commands on a key name it by. `apiKeyCreated().data` is one. */
export interface KeyRef {
  readonly keyId: string;
  readonly tenantId: string;
}

export function apiKeyCreated(overrides: Partial<ApiKeyCreated['data']> = {}): ApiKeyCreated {
  return {
    type: 'ApiKeyCreated',
    data: {
      keyId: nextUuid(),
      tenantId: TENANT_ID,
      name: 'Production backend',
      environment: 'live',
      kind: 'secret',
      scopes: ['orders:read'],
      expiresAt: null,
      rateLimit: null,
      allowedIps: null,
      allowedOrigins: null,
      metadata: null,
      keyHash: 'a'.repeat(64),
      hint: 'kl_live_4fT9…Qx2a',
      createdAt: CREATED_AT,
      createdBy: ACTOR,
      rotatedFrom: null,
      ...overrides,
    },
  };
}

export function apiKeyRotated(
  key: KeyRef,
  overrides: Partial<ApiKeyRotated['data']> = {},
): ApiKeyRotated {
  return {
    type: 'ApiKeyRotated',
    data: {
      keyId: key.keyId,
      tenantId: key.tenantId,
      newKeyId: nextUuid(),
      gracePeriodSeconds: 3600,
      graceEndsAt: isoAt(3600),
      rotatedAt: NOW.toISOString(),
      ...overrides,
    },
  };
}

export function apiKeyRevoked(
  key: KeyRef,
  overrides: Partial<ApiKeyRevoked['data']> = {},
): ApiKeyRevoked {
  return {
    type: 'ApiKeyRevoked',
    data: {
      keyId: key.keyId,
      tenantId: key.tenantId,
      reason: null,
      revokedAt: isoAt(-60),
      ...overrides,
    },
  };
}

export function createKeyCommand(overrides: Partial<CreateKey['data']> = {}): CreateKey {
  const { type: _type, data } = apiKeyCreated();
  const { createdAt: _createdAt, rotatedFrom: _rotatedFrom, ...fields } = data;
  return { type: 'CreateKey', data: { ...fields, ...overrides } };
}

export const updateKeyCommand = (key: KeyRef, changes: KeySettingsInput): UpdateKey => ({
  type: 'UpdateKey',
  data: { keyId: key.keyId, tenantId: key.tenantId, changes },
});

export const rotateKeyCommand = (
  key: KeyRef,
  overrides: Partial<RotateKey['data']> = {},
): RotateKey => ({
  type: 'RotateKey',
  data: {
    keyId: key.keyId,
    tenantId: key.tenantId,
    newKeyId: nextUuid(),
    gracePeriodSeconds: 3600,
    ...overrides,
  },
});

export const revokeKeyCommand = (key: KeyRef, reason: string | null = null): RevokeKey => ({
  type: 'RevokeKey',
  data: { keyId: key.keyId, tenantId: key.tenantId, reason },
});

export function tenantCreated(overrides: Partial<TenantCreated['data']> = {}): TenantCreated {
  return {
    type: 'TenantCreated',
    data: {
      tenantId: TENANT_ID,
      name: 'Acme Corp',
      keyPrefix: 'acme',
      createdAt: CREATED_AT,
      createdBy: ACTOR,
      ...overrides,
    },
  };
}

export function createTenantCommand(overrides: Partial<CreateTenant['data']> = {}): CreateTenant {
  const { createdAt: _createdAt, ...fields } = tenantCreated().data;
  return { type: 'CreateTenant', data: { ...fields, ...overrides } };
}

export function rootKeyCreated(overrides: Partial<RootKeyCreated['data']> = {}): RootKeyCreated {
  return {
    type: 'RootKeyCreated',
    data: {
      rootKeyId: nextUuid(),
      name: 'deploy bot',
      abilities: ['keys:read', 'keys:write'],
      tenants: [TENANT_ID],
      rateLimit: null,
      keyHash: 'b'.repeat(64),
      hint: 'klr_9Zq1…Lw0e',
      createdAt: CREATED_AT,
      createdBy: ACTOR,
      ...overrides,
    },
  };
}

export function createRootKeyCommand(
  overrides: Partial<CreateRootKey['data']> = {},
): CreateRootKey {
  const { createdAt: _createdAt, ...fields } = rootKeyCreated().data;
  return { type: 'CreateRootKey', data: { ...fields, grantor: null, ...overrides } };
}

export const revokeRootKeyCommand = (
  rootKeyId: string,
  reason: string | null = null,
  grantor: Grantor | null = null,
): RevokeRootKey => ({ type: 'RevokeRootKey', data: { rootKeyId, reason, grantor } });

export const rootKeyRevoked = (
  rootKeyId: string,
  overrides: Partial<RootKeyRevoked['data']> = {},
): RootKeyRevoked => ({
  type: 'RootKeyRevoked',
  data: { rootKeyId, reason: null, revokedAt: isoAt(-60), ...overrides },
});
