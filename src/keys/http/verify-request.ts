import { isIP } from 'node:net';
import { ValidationFailed, type ValidationDetail } from '../../shared/errors';
import { containsKey } from '../../shared/key-redaction';
import type { VerifyRequest } from '../verification/verify-key';

/** Field and maximum length, in the order problems are reported. */
const STRING_LIMITS: readonly (readonly [string, number])[] = [
  ['key', 256],
  ['tenantId', 64],
  ['origin', 2048],
  ['endpoint', 256],
];
const KNOWN = new Set(['key', 'tenantId', 'requiredScopes', 'ip', 'origin', 'endpoint']);
const MAX_SCOPES = 100;
const SCOPE_MAX_LENGTH = 200;

/**
 * The verify body, checked by hand: this route runs on every request our users serve, and the
 * generic class-validator pipe costs more than the whole verification. Same rules and the same
 * 400 shape (`details[].field`) as every other route; unknown fields are refused.
 * The key's format is not checked here: a malformed key is answered NOT_FOUND, like an unknown one.
 * Messages never quote a key: `ValidationFailed` redacts them.
 */
export function parseVerifyRequest(body: unknown): VerifyRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationFailed('Request validation failed', [
      { field: 'body', message: 'the body must be a JSON object' },
    ]);
  }
  const input = body as Record<string, unknown>;
  const problems: ValidationDetail[] = [];
  for (const field of Object.keys(input)) {
    if (!KNOWN.has(field)) problems.push({ field, message: `property ${field} should not exist` });
  }
  for (const [field, max] of STRING_LIMITS) {
    const value = input[field];
    if (value === undefined && field !== 'key') continue;
    if (typeof value !== 'string') problems.push({ field, message: `${field} must be a string` });
    else if (value.length > max) {
      problems.push({
        field,
        message: `${field} must be shorter than or equal to ${max} characters`,
      });
    }
  }
  const { ip, requiredScopes, endpoint } = input;
  // The endpoint is recorded in usage events: a key in it (`/x?token=…`) would be kept for good.
  if (typeof endpoint === 'string' && containsKey(endpoint)) {
    problems.push({ field: 'endpoint', message: 'a key is not accepted in the endpoint' });
  }
  if (ip !== undefined && (typeof ip !== 'string' || isIP(ip) === 0)) {
    problems.push({ field: 'ip', message: 'ip must be an ip address' });
  }
  if (requiredScopes !== undefined) {
    if (!Array.isArray(requiredScopes)) {
      problems.push({ field: 'requiredScopes', message: 'requiredScopes must be an array' });
    } else {
      if (requiredScopes.length > MAX_SCOPES) {
        problems.push({
          field: 'requiredScopes',
          message: `requiredScopes must contain no more than ${MAX_SCOPES} elements`,
        });
      }
      if (!requiredScopes.every((s) => typeof s === 'string' && s.length <= SCOPE_MAX_LENGTH)) {
        problems.push({
          field: 'requiredScopes',
          message: `each value in requiredScopes must be a string of at most ${SCOPE_MAX_LENGTH} characters`,
        });
      }
    }
  }
  if (problems.length > 0) throw new ValidationFailed('Request validation failed', problems);
  return input as unknown as VerifyRequest;
}
