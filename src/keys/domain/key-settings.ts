import { RATE_LIMIT_MAX_WINDOW_SECONDS } from '../../shared/fixed-window-limiter';
import { ValidationFailed, type ValidationDetail } from '../../shared/errors';
import type { KeyMetadata, RateLimitSetting } from './api-key.events';
import type { KeyKind } from '../../shared/key-format';
import { isValidCidr, normalizeOrigin } from './restrictions';

/** Limits of SPEC §2, checked by the domain whatever the entry point (HTTP, CLI). */
export const KEY_LIMITS = {
  nameMaxLength: 100,
  maxScopes: 100,
  scopeMaxLength: 200,
  maxAllowedIps: 100,
  maxAllowedOrigins: 100,
  metadataMaxBytes: 4096,
  rateLimitMaxWindowSeconds: RATE_LIMIT_MAX_WINDOW_SECONDS,
  maxGracePeriodSeconds: 30 * 86_400,
} as const;

/** A full date-time with an explicit offset: never read in the server's local time zone. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export interface KeySettingsInput {
  readonly name?: string;
  readonly scopes?: readonly string[];
  readonly expiresAt?: string | null;
  readonly rateLimit?: RateLimitSetting | null;
  readonly allowedIps?: readonly string[] | null;
  readonly allowedOrigins?: readonly string[] | null;
  readonly metadata?: KeyMetadata | null;
}

/** Checks the settings that are present; throws one ValidationFailed listing every problem. */
export function assertValidKeySettings(input: KeySettingsInput, kind: KeyKind, now: Date): void {
  const problems: ValidationDetail[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const { name, scopes, expiresAt, rateLimit, allowedIps, allowedOrigins, metadata } = input;

  if (name !== undefined && (name.trim().length === 0 || name.length > KEY_LIMITS.nameMaxLength)) {
    add('name', `name must be 1 to ${KEY_LIMITS.nameMaxLength} characters`);
  }
  if (scopes !== undefined) {
    if (scopes.length > KEY_LIMITS.maxScopes)
      add('scopes', `at most ${KEY_LIMITS.maxScopes} scopes`);
    scopes.forEach((scope, i) => {
      if (scope.length === 0 || scope.length > KEY_LIMITS.scopeMaxLength || /\s/.test(scope)) {
        add(
          `scopes[${i}]`,
          `a scope is 1 to ${KEY_LIMITS.scopeMaxLength} characters without spaces`,
        );
      }
    });
  }
  if (expiresAt !== undefined && expiresAt !== null) {
    const at = ISO_DATE_TIME.test(expiresAt) ? Date.parse(expiresAt) : Number.NaN;
    if (Number.isNaN(at)) add('expiresAt', 'expiresAt must be an ISO-8601 date-time');
    else if (at <= now.getTime()) add('expiresAt', 'expiresAt must be in the future');
  }
  if (rateLimit) {
    if (!Number.isInteger(rateLimit.limit) || rateLimit.limit < 1) {
      add('rateLimit.limit', 'rateLimit.limit must be a positive integer');
    }
    const w = rateLimit.windowSeconds;
    if (!Number.isInteger(w) || w < 1 || w > KEY_LIMITS.rateLimitMaxWindowSeconds) {
      add(
        'rateLimit.windowSeconds',
        `rateLimit.windowSeconds must be an integer from 1 to ${KEY_LIMITS.rateLimitMaxWindowSeconds}`,
      );
    }
  }
  if (allowedIps) {
    if (allowedIps.length > KEY_LIMITS.maxAllowedIps)
      add('allowedIps', `at most ${KEY_LIMITS.maxAllowedIps} entries`);
    allowedIps.forEach((cidr, i) => {
      if (!isValidCidr(cidr))
        add(`allowedIps[${i}]`, `'${cidr}' is not a valid IP address or CIDR range`);
    });
  }
  if (allowedOrigins) {
    if (kind !== 'publishable')
      add('allowedOrigins', 'allowedOrigins applies to publishable keys only');
    if (allowedOrigins.length > KEY_LIMITS.maxAllowedOrigins)
      add('allowedOrigins', `at most ${KEY_LIMITS.maxAllowedOrigins} entries`);
    allowedOrigins.forEach((origin, i) => {
      if (normalizeOrigin(origin) === undefined)
        add(`allowedOrigins[${i}]`, `'${origin}' is not an http(s) origin`);
    });
  }
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (v !== null && typeof v === 'object')
        add(`metadata.${k}`, 'metadata must be a flat object of primitive values');
    }
    if (Buffer.byteLength(JSON.stringify(metadata)) > KEY_LIMITS.metadataMaxBytes) {
      add('metadata', `metadata must be at most ${KEY_LIMITS.metadataMaxBytes} bytes of JSON`);
    }
  }
  if (problems.length > 0) throw new ValidationFailed('Invalid key settings', problems);
}

/** Stored forms: ISO timestamps in UTC, origins normalised, scopes deduplicated in order. */
export function normalizeKeySettings<T extends KeySettingsInput>(input: T): T {
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  if (typeof input.expiresAt === 'string') out.expiresAt = new Date(input.expiresAt).toISOString();
  if (input.scopes) out.scopes = [...new Set(input.scopes)];
  if (input.allowedOrigins)
    out.allowedOrigins = [...new Set(input.allowedOrigins.map((o) => normalizeOrigin(o) ?? o))];
  if (input.allowedIps) out.allowedIps = [...new Set(input.allowedIps)];
  return out as T;
}
