export type VerifyCode =
  | 'VALID'
  | 'NOT_FOUND'
  | 'REVOKED'
  | 'EXPIRED'
  | 'INSUFFICIENT_SCOPES'
  | 'RATE_LIMITED'
  | 'FORBIDDEN_IP'
  | 'FORBIDDEN_ORIGIN';

export interface VerifyRequest {
  readonly key: string;
  readonly tenantId?: string;
  readonly requiredScopes?: readonly string[];
  readonly ip?: string;
  readonly origin?: string;
  readonly endpoint?: string;
}

/** SPEC §4: always answered with 200; `code` says why a key is not valid. */
export interface VerifyResult {
  readonly valid: boolean;
  readonly code: VerifyCode;
  readonly keyId?: string;
  readonly tenantId?: string;
  readonly scopes?: readonly string[];
  readonly expiresAt?: string | null;
  readonly missingScopes?: readonly string[];
  readonly rateLimit?: {
    readonly limit: number;
    readonly remaining: number;
    readonly resetAt: string;
  };
}

export const NOT_FOUND_RESULT: VerifyResult = Object.freeze({ valid: false, code: 'NOT_FOUND' });
