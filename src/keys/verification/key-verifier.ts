import { Inject, Injectable } from '@nestjs/common';
import {
  VERIFICATION_INDEX,
  type VerifiableKey,
  type VerificationIndex,
} from '../../read-models/key-directory.port';
import type { TenantBinding } from '../../root-keys/domain/root-key';
import { CLOCK, type Clock } from '../../shared/clock';
import { FixedWindowLimiter } from '../../shared/fixed-window-limiter';
import { hashKey, parseKey } from '../domain/key-format';
import {
  NOT_FOUND_RESULT,
  type VerifyCode,
  type VerifyRequest,
  type VerifyResult,
} from './verify-key';

/**
 * The verify hot path: checksum, SHA-256, one Map lookup, pre-compiled checks. Never touches the
 * event store. Checks run in an order that leaks nothing: a key outside the caller's tenants is
 * NOT_FOUND before anything else is said about it, and only a key that passes every other check
 * consumes its rate limit.
 */
@Injectable()
export class KeyVerifier {
  private readonly limiter = new FixedWindowLimiter();

  constructor(
    @Inject(VERIFICATION_INDEX) private readonly index: VerificationIndex,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  verify(request: VerifyRequest, binding: TenantBinding): VerifyResult {
    const parsed = parseKey(request.key);
    if (parsed?.family !== 'api') return NOT_FOUND_RESULT;
    const key = this.index.lookup(hashKey(request.key));
    if (!key) return NOT_FOUND_RESULT;
    const { record } = key;
    if (request.tenantId !== undefined && request.tenantId !== record.tenantId)
      return NOT_FOUND_RESULT;
    if (binding !== '*' && !binding.includes(record.tenantId)) return NOT_FOUND_RESULT;

    const nowMs = this.clock.now().getTime();
    if (record.revokedAt !== null) return refuse(key, 'REVOKED');
    if (nowMs >= key.expiresAtMs) return refuse(key, 'EXPIRED');
    if (key.ips && (request.ip === undefined || !key.ips.allows(request.ip)))
      return refuse(key, 'FORBIDDEN_IP');
    if (key.origins && (request.origin === undefined || !key.origins.allows(request.origin))) {
      return refuse(key, 'FORBIDDEN_ORIGIN');
    }
    if (request.requiredScopes && request.requiredScopes.length > 0) {
      const missingScopes = key.scopes.missing(request.requiredScopes);
      if (missingScopes.length > 0) return { ...refuse(key, 'INSUFFICIENT_SCOPES'), missingScopes };
    }
    if (record.rateLimit) {
      const decision = this.limiter.hit(record.keyId, record.rateLimit, nowMs);
      const rateLimit = {
        limit: decision.limit,
        remaining: decision.remaining,
        resetAt: new Date(decision.resetAtMs).toISOString(),
      };
      if (!decision.allowed) return { ...refuse(key, 'RATE_LIMITED'), rateLimit };
      return { ...describe(key, true, 'VALID'), rateLimit };
    }
    return describe(key, true, 'VALID');
  }
}

function refuse(key: VerifiableKey, code: VerifyCode): VerifyResult {
  return describe(key, false, code);
}

function describe(key: VerifiableKey, valid: boolean, code: VerifyCode): VerifyResult {
  const { record } = key;
  return {
    valid,
    code,
    keyId: record.keyId,
    tenantId: record.tenantId,
    scopes: record.scopes,
    expiresAt: Number.isFinite(key.expiresAtMs) ? new Date(key.expiresAtMs).toISOString() : null,
  };
}
