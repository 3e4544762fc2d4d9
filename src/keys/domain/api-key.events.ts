import { eventTypes } from '../../shared/decider';
import type { RateLimitSetting } from '../../shared/fixed-window-limiter';
import type { KeyEnvironment, KeyKind } from '../../shared/key-format';

export type { RateLimitSetting };

/** A flat JSON object: string keys to primitive values (SPEC §2, ≤ 4 KiB). */
export type KeyMetadata = Readonly<Record<string, string | number | boolean | null>>;

export interface ApiKeyCreated {
  readonly type: 'ApiKeyCreated';
  readonly data: {
    readonly keyId: string;
    readonly tenantId: string;
    readonly name: string;
    readonly environment: KeyEnvironment;
    readonly kind: KeyKind;
    readonly scopes: readonly string[];
    readonly expiresAt: string | null;
    readonly rateLimit: RateLimitSetting | null;
    readonly allowedIps: readonly string[] | null;
    readonly allowedOrigins: readonly string[] | null;
    readonly metadata: KeyMetadata | null;
    /** SHA-256 of the plaintext key; the plaintext itself is never stored. */
    readonly keyHash: string;
    readonly hint: string;
    readonly createdAt: string;
    readonly createdBy: string;
    /** Set when this key replaces another one through rotation. */
    readonly rotatedFrom: string | null;
  };
}

type KeyRef = { readonly keyId: string; readonly tenantId: string };

export interface ApiKeyRenamed {
  readonly type: 'ApiKeyRenamed';
  readonly data: KeyRef & { readonly name: string };
}

export interface ApiKeyScopesChanged {
  readonly type: 'ApiKeyScopesChanged';
  readonly data: KeyRef & { readonly scopes: readonly string[] };
}

export interface ApiKeyExpiryChanged {
  readonly type: 'ApiKeyExpiryChanged';
  readonly data: KeyRef & { readonly expiresAt: string | null };
}

export interface ApiKeyRateLimitChanged {
  readonly type: 'ApiKeyRateLimitChanged';
  readonly data: KeyRef & { readonly rateLimit: RateLimitSetting | null };
}

export interface ApiKeyRestrictionsChanged {
  readonly type: 'ApiKeyRestrictionsChanged';
  readonly data: KeyRef & {
    readonly allowedIps: readonly string[] | null;
    readonly allowedOrigins: readonly string[] | null;
  };
}

export interface ApiKeyMetadataChanged {
  readonly type: 'ApiKeyMetadataChanged';
  readonly data: KeyRef & { readonly metadata: KeyMetadata | null };
}

export interface ApiKeyRotated {
  readonly type: 'ApiKeyRotated';
  readonly data: KeyRef & {
    readonly newKeyId: string;
    readonly gracePeriodSeconds: number;
    /** When the old key stops verifying (answers EXPIRED from then on). */
    readonly graceEndsAt: string;
    readonly rotatedAt: string;
  };
}

export interface ApiKeyRevoked {
  readonly type: 'ApiKeyRevoked';
  readonly data: KeyRef & { readonly reason: string | null; readonly revokedAt: string };
}

export type ApiKeyEvent =
  | ApiKeyCreated
  | ApiKeyRenamed
  | ApiKeyScopesChanged
  | ApiKeyExpiryChanged
  | ApiKeyRateLimitChanged
  | ApiKeyRestrictionsChanged
  | ApiKeyMetadataChanged
  | ApiKeyRotated
  | ApiKeyRevoked;

export const API_KEY_EVENT_TYPES = eventTypes<ApiKeyEvent>({
  ApiKeyCreated: true,
  ApiKeyRenamed: true,
  ApiKeyScopesChanged: true,
  ApiKeyExpiryChanged: true,
  ApiKeyRateLimitChanged: true,
  ApiKeyRestrictionsChanged: true,
  ApiKeyMetadataChanged: true,
  ApiKeyRotated: true,
  ApiKeyRevoked: true,
});

export const apiKeyStream = (keyId: string): string => `apikey-${keyId}`;
