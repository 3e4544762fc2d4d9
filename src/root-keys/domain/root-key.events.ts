import { eventTypes } from '../../shared/decider';
import type { RateLimitSetting } from '../../shared/fixed-window-limiter';
import type { TenantBinding } from './abilities';

export interface RootKeyCreated {
  readonly type: 'RootKeyCreated';
  readonly data: {
    readonly rootKeyId: string;
    readonly name: string;
    readonly abilities: readonly string[];
    readonly tenants: TenantBinding;
    readonly rateLimit: RateLimitSetting | null;
    /** SHA-256 of the plaintext key; the plaintext itself is never stored. */
    readonly keyHash: string;
    readonly hint: string;
    readonly createdAt: string;
    readonly createdBy: string;
  };
}

export interface RootKeyRevoked {
  readonly type: 'RootKeyRevoked';
  readonly data: {
    readonly rootKeyId: string;
    readonly reason: string | null;
    readonly revokedAt: string;
  };
}

export type RootKeyEvent = RootKeyCreated | RootKeyRevoked;

export const ROOT_KEY_EVENT_TYPES = eventTypes<RootKeyEvent>({
  RootKeyCreated: true,
  RootKeyRevoked: true,
});

export const rootKeyStream = (rootKeyId: string): string => `rootkey-${rootKeyId}`;
