import { ignoreUnknownEvent } from '../../shared/decider';
import type { ApiKeyCreated, ApiKeyEvent, KeyMetadata, RateLimitSetting } from './api-key.events';

export type ApiKeyStatus = 'active' | 'revoked' | 'expired';

export interface ApiKeyFields extends Omit<ApiKeyCreated['data'], 'keyHash'> {
  readonly keyHash: string;
  readonly revokedAt: string | null;
  readonly revocationReason: string | null;
  readonly rotatedTo: string | null;
  readonly graceEndsAt: string | null;
  readonly updatedAt: string;
}

export type ApiKeyState = { readonly exists: false } | ({ readonly exists: true } & ApiKeyFields);

export const initialApiKeyState: ApiKeyState = { exists: false };

/**
 * evolve(state, event, occurredAt) → state: pure and total; `updatedAt` is when the last event
 * occurred. An event of a type it does not know leaves the state as it is.
 */
export function evolveApiKey(
  state: ApiKeyState,
  event: ApiKeyEvent,
  occurredAt: string,
): ApiKeyState {
  if (event.type === 'ApiKeyCreated') {
    return {
      exists: true,
      ...event.data,
      revokedAt: null,
      revocationReason: null,
      rotatedTo: null,
      graceEndsAt: null,
      updatedAt: occurredAt,
    };
  }
  if (!state.exists) return state;
  const base = { ...state, updatedAt: occurredAt };
  switch (event.type) {
    case 'ApiKeyRenamed':
      return { ...base, name: event.data.name };
    case 'ApiKeyScopesChanged':
      return { ...base, scopes: event.data.scopes };
    case 'ApiKeyExpiryChanged':
      return { ...base, expiresAt: event.data.expiresAt };
    case 'ApiKeyRateLimitChanged':
      return { ...base, rateLimit: event.data.rateLimit };
    case 'ApiKeyRestrictionsChanged':
      return {
        ...base,
        allowedIps: event.data.allowedIps,
        allowedOrigins: event.data.allowedOrigins,
      };
    case 'ApiKeyMetadataChanged':
      return { ...base, metadata: event.data.metadata };
    case 'ApiKeyRotated':
      return { ...base, rotatedTo: event.data.newKeyId, graceEndsAt: event.data.graceEndsAt };
    case 'ApiKeyRevoked':
      return { ...base, revokedAt: event.data.revokedAt, revocationReason: event.data.reason };
    default:
      return ignoreUnknownEvent(event, state);
  }
}

/** The moment a key stops verifying on its own: its expiry or the end of a rotation's grace. */
export function effectiveExpiry(
  key: Pick<ApiKeyFields, 'expiresAt' | 'graceEndsAt'>,
): string | null {
  const { expiresAt, graceEndsAt } = key;
  if (expiresAt === null) return graceEndsAt;
  if (graceEndsAt === null) return expiresAt;
  // Compared as instants: ISO text does not sort for years past 9999 ('+010000-…').
  return Date.parse(expiresAt) < Date.parse(graceEndsAt) ? expiresAt : graceEndsAt;
}

export function deriveStatus(
  key: Pick<ApiKeyFields, 'revokedAt' | 'expiresAt' | 'graceEndsAt'>,
  now: Date,
): ApiKeyStatus {
  if (key.revokedAt !== null) return 'revoked';
  const expiry = effectiveExpiry(key);
  if (expiry !== null && Date.parse(expiry) <= now.getTime()) return 'expired';
  return 'active';
}

export type { KeyMetadata, RateLimitSetting };
