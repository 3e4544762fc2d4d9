import { Inject, Injectable, Optional } from '@nestjs/common';
import { USAGE_SINK, VERIFY_ENDPOINT, type UsageSink } from './key-use-sink.port';
import {
  VERIFICATION_INDEX,
  type VerifiableKey,
  type VerificationIndex,
} from '../read-models/key-directory.port';
import type { TenantBinding } from '../../root-keys';
import { CLOCK, type Clock } from '../../shared/clock';
import { FixedWindowLimiter } from '../../shared/fixed-window-limiter';
import type { ScopeMatcher } from '../../shared/scope-matching';
import { hashKey, keyFamily } from '../../shared/key-format';
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
  /**
   * The VALID answer of each key without a rate limit, made on its first use: the same frozen
   * object on every later one, so that nothing is allocated (nor, by the HTTP layer, serialised)
   * per request. Safe by the object-identity rule of `VerificationIndex` (see the port): a key
   * that changed is a new VerifiableKey, and none handed out is ever mutated.
   */
  private readonly validAnswers = new WeakMap<VerifiableKey, VerifyResult>();

  constructor(
    @Inject(VERIFICATION_INDEX) private readonly index: VerificationIndex,
    @Inject(CLOCK) private readonly clock: Clock,
    /** Counts each VALID answer as one use of the key (issue 4); absent: nothing is counted. */
    @Optional() @Inject(USAGE_SINK) private readonly usage?: UsageSink,
  ) {}

  /**
   * Synchronous when the index answers from memory (always, for the in-memory directory; on a
   * cache hit, for MongoDB); a promise only when the MongoDB cache has to read a missing key.
   */
  verify(request: VerifyRequest, binding: TenantBinding): VerifyResult | Promise<VerifyResult> {
    if (keyFamily(request.key) !== 'api') return NOT_FOUND_RESULT;
    const key = this.index.lookup(hashKey(request.key));
    if (key instanceof Promise) return key.then((found) => this.check(found, request, binding));
    return this.check(key, request, binding);
  }

  private check(
    key: VerifiableKey | undefined,
    request: VerifyRequest,
    binding: TenantBinding,
  ): VerifyResult {
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
    const required = request.requiredScopes;
    // Listing what is missing allocates; most requests ask for scopes the key has.
    if (required !== undefined && !grantsAll(key.scopes, required)) {
      return describe(key, false, 'INSUFFICIENT_SCOPES', key.scopes.missing(required));
    }
    if (record.rateLimit) {
      const decision = this.limiter.hit(record.keyId, record.rateLimit, nowMs);
      const { limit, remaining, resetAt } = decision;
      const rateLimit = { limit, remaining, resetAt };
      if (!decision.allowed) return describe(key, false, 'RATE_LIMITED', undefined, rateLimit);
      this.countUse(key, request.endpoint, nowMs);
      return describe(key, true, 'VALID', undefined, rateLimit);
    }
    this.countUse(key, request.endpoint, nowMs);
    return this.validAnswer(key);
  }

  private validAnswer(key: VerifiableKey): VerifyResult {
    let answer = this.validAnswers.get(key);
    if (answer === undefined) {
      const { scopes } = key.record;
      answer = Object.freeze({
        ...describe(key, true, 'VALID'),
        scopes: Object.freeze([...scopes]),
      });
      this.validAnswers.set(key, answer);
    }
    return answer;
  }

  /** A VALID answer is one use of the key: summed in memory, no I/O, nothing awaited. */
  private countUse(key: VerifiableKey, endpoint: string | undefined, nowMs: number): void {
    this.usage?.recordVerified(key, endpoint ?? VERIFY_ENDPOINT, nowMs);
  }
}

function grantsAll(scopes: ScopeMatcher, required: readonly string[]): boolean {
  for (const scope of required) if (!scopes.grants(scope)) return false;
  return true;
}

function refuse(key: VerifiableKey, code: VerifyCode): VerifyResult {
  return describe(key, false, code);
}

/** One object literal per answer, with every field formatted at write time. */
function describe(
  key: VerifiableKey,
  valid: boolean,
  code: VerifyCode,
  missingScopes?: readonly string[],
  rateLimit?: VerifyResult['rateLimit'],
): VerifyResult {
  const { record } = key;
  const result: { -readonly [K in keyof VerifyResult]: VerifyResult[K] } = {
    valid,
    code,
    keyId: record.keyId,
    tenantId: record.tenantId,
    scopes: record.scopes,
    expiresAt: key.expiresAtIso,
  };
  if (missingScopes) result.missingScopes = missingScopes;
  if (rateLimit) result.rateLimit = rateLimit;
  return result;
}
