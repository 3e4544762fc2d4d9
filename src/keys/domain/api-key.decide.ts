import { canonicalJson } from '../../shared/canonical-hash';
import { rejectUnknownCommand } from '../../shared/decider';
import { Conflict, NotFound, ValidationFailed } from '../../shared/errors';
import type { ApiKeyCreated, ApiKeyEvent } from './api-key.events';
import type { ApiKeyFields, ApiKeyState } from './api-key.state';
import { deriveStatus } from './api-key.state';
import type { KeyEnvironment, KeyKind } from '../../shared/key-format';
import {
  assertValidKeySettings,
  KEY_LIMITS,
  normalizeKeySettings,
  type KeySettingsInput,
} from './key-settings';

/** A new key besides its settings: its id, tenant and family, its secret's hash, who made it. */
interface NewKey {
  readonly keyId: string;
  readonly tenantId: string;
  readonly environment: KeyEnvironment;
  readonly kind: KeyKind;
  readonly keyHash: string;
  readonly hint: string;
  readonly createdBy: string;
}

export interface CreateKey {
  readonly type: 'CreateKey';
  readonly data: Required<KeySettingsInput> & NewKey;
}

export interface UpdateKey {
  readonly type: 'UpdateKey';
  readonly data: {
    readonly keyId: string;
    readonly tenantId: string;
    readonly changes: KeySettingsInput;
  };
}

export interface RotateKey {
  readonly type: 'RotateKey';
  readonly data: {
    readonly keyId: string;
    readonly tenantId: string;
    readonly newKeyId: string;
    readonly gracePeriodSeconds: number;
  };
}

/** A rotated key as its replacement needs it: its id, tenant, family and settings. */
export type ReplacedKey = Pick<
  ApiKeyFields,
  'keyId' | 'tenantId' | 'environment' | 'kind' | keyof KeySettingsInput
>;

/**
 * The second half of a rotation, on the new key's stream: a key with the settings of the one it
 * replaces, a new secret and `rotatedFrom` set. Idempotent: on a stream that already holds a key
 * it decides nothing (a retried rotation).
 */
export interface CreateReplacementKey {
  readonly type: 'CreateReplacementKey';
  readonly data: {
    /** The new key's id: the `newKeyId` of the `ApiKeyRotated` on the replaced key. */
    readonly keyId: string;
    readonly replaces: ReplacedKey;
    readonly keyHash: string;
    readonly hint: string;
    readonly createdBy: string;
  };
}

export interface RevokeKey {
  readonly type: 'RevokeKey';
  readonly data: {
    readonly keyId: string;
    readonly tenantId: string;
    readonly reason: string | null;
  };
}

export type ApiKeyCommand = CreateKey | UpdateKey | RotateKey | CreateReplacementKey | RevokeKey;

/** decide(command, state, now) → events: pure; throws a DomainError when the command is refused. */
export function decideApiKey(command: ApiKeyCommand, state: ApiKeyState, now: Date): ApiKeyEvent[] {
  switch (command.type) {
    case 'CreateKey':
      return [createKey(command, state, now)];
    case 'UpdateKey':
      return updateKey(command, existing(state, command.data.tenantId), now);
    case 'RotateKey':
      return [rotateKey(command, existing(state, command.data.tenantId), now)];
    case 'CreateReplacementKey':
      return state.exists ? [] : [createReplacementKey(command, now)];
    case 'RevokeKey':
      return [revokeKey(command, existing(state, command.data.tenantId), now)];
    default:
      return rejectUnknownCommand(command);
  }
}

function existing(state: ApiKeyState, tenantId: string): ApiKeyFields {
  // A key of another tenant is answered exactly like a missing one: no existence leak.
  if (!state.exists || state.tenantId !== tenantId) throw new NotFound('API key not found');
  return state;
}

function assertChangeable(key: ApiKeyFields, now: Date): void {
  const status = deriveStatus(key, now);
  if (status === 'revoked')
    throw new Conflict('KEY_REVOKED', 'The key is revoked and cannot be changed');
  if (key.rotatedTo !== null)
    throw new Conflict('KEY_ROTATED', 'The key has been rotated; change its replacement instead');
}

function createKey(command: CreateKey, state: ApiKeyState, now: Date): ApiKeyCreated {
  if (state.exists) throw new Conflict('KEY_EXISTS', 'A key with this id already exists');
  const input = command.data;
  assertValidKeySettings(input, input.kind, now);
  return keyCreated(input, normalizeKeySettings(input), null, now);
}

function createReplacementKey(command: CreateReplacementKey, now: Date): ApiKeyCreated {
  const { replaces: old, ...key } = command.data;
  assertReplaceable(old, now);
  const { tenantId, environment, kind } = old;
  return keyCreated({ ...key, tenantId, environment, kind }, old, old.keyId, now);
}

/**
 * A key can be replaced while it has not expired and its settings are still valid: checked by
 * the rotation (before anything is written) and again by the replacement. The settings are
 * stored forms, so the expiry is compared as an instant, not re-read as request text (a stored
 * expiry past the year 9999 is '+010000-…', which a request may not spell).
 */
function assertReplaceable(key: ReplacedKey, now: Date): void {
  if (deriveStatus({ ...key, revokedAt: null, graceEndsAt: null }, now) === 'expired')
    throw new Conflict('KEY_EXPIRED', 'An expired key cannot be rotated');
  const { expiresAt: _expiresAt, ...settings } = key;
  assertValidKeySettings(settings, key.kind, now);
}

/** One field order for every ApiKeyCreated, whatever decided it: payloads stay byte-identical. */
function keyCreated(
  key: NewKey,
  settings: Pick<ApiKeyFields, keyof KeySettingsInput>,
  rotatedFrom: string | null,
  now: Date,
): ApiKeyCreated {
  return {
    type: 'ApiKeyCreated',
    data: {
      keyId: key.keyId,
      tenantId: key.tenantId,
      name: settings.name,
      environment: key.environment,
      kind: key.kind,
      scopes: settings.scopes,
      expiresAt: settings.expiresAt,
      rateLimit: settings.rateLimit,
      allowedIps: settings.allowedIps,
      allowedOrigins: settings.allowedOrigins,
      metadata: settings.metadata,
      keyHash: key.keyHash,
      hint: key.hint,
      createdAt: now.toISOString(),
      createdBy: key.createdBy,
      rotatedFrom,
    },
  };
}

function updateKey(command: UpdateKey, key: ApiKeyFields, now: Date): ApiKeyEvent[] {
  assertChangeable(key, now);
  assertValidKeySettings(command.data.changes, key.kind, now);
  const changes = normalizeKeySettings(command.data.changes);
  const ref = { keyId: key.keyId, tenantId: key.tenantId };
  const events: ApiKeyEvent[] = [];
  // Canonical JSON: the same metadata in another key order is not a change.
  const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

  if (changes.name !== undefined && changes.name !== key.name) {
    events.push({ type: 'ApiKeyRenamed', data: { ...ref, name: changes.name } });
  }
  if (changes.scopes !== undefined && !same(changes.scopes, key.scopes)) {
    events.push({ type: 'ApiKeyScopesChanged', data: { ...ref, scopes: changes.scopes } });
  }
  if (changes.expiresAt !== undefined && changes.expiresAt !== key.expiresAt) {
    events.push({ type: 'ApiKeyExpiryChanged', data: { ...ref, expiresAt: changes.expiresAt } });
  }
  if (changes.rateLimit !== undefined && !same(changes.rateLimit, key.rateLimit)) {
    events.push({ type: 'ApiKeyRateLimitChanged', data: { ...ref, rateLimit: changes.rateLimit } });
  }
  const allowedIps = changes.allowedIps !== undefined ? changes.allowedIps : key.allowedIps;
  const allowedOrigins =
    changes.allowedOrigins !== undefined ? changes.allowedOrigins : key.allowedOrigins;
  if (!same(allowedIps, key.allowedIps) || !same(allowedOrigins, key.allowedOrigins)) {
    events.push({
      type: 'ApiKeyRestrictionsChanged',
      data: { ...ref, allowedIps, allowedOrigins },
    });
  }
  if (changes.metadata !== undefined && !same(changes.metadata, key.metadata)) {
    events.push({ type: 'ApiKeyMetadataChanged', data: { ...ref, metadata: changes.metadata } });
  }
  return events;
}

function rotateKey(command: RotateKey, key: ApiKeyFields, now: Date): ApiKeyEvent {
  assertChangeable(key, now);
  assertReplaceable(key, now);
  const grace = command.data.gracePeriodSeconds;
  if (!Number.isInteger(grace) || grace < 0 || grace > KEY_LIMITS.maxGracePeriodSeconds) {
    throw new ValidationFailed('Invalid rotation', [
      {
        field: 'gracePeriodSeconds',
        message: `gracePeriodSeconds must be an integer from 0 to ${KEY_LIMITS.maxGracePeriodSeconds}`,
      },
    ]);
  }
  return {
    type: 'ApiKeyRotated',
    data: {
      keyId: key.keyId,
      tenantId: key.tenantId,
      newKeyId: command.data.newKeyId,
      gracePeriodSeconds: grace,
      graceEndsAt: new Date(now.getTime() + grace * 1000).toISOString(),
      rotatedAt: now.toISOString(),
    },
  };
}

function revokeKey(command: RevokeKey, key: ApiKeyFields, now: Date): ApiKeyEvent {
  if (key.revokedAt !== null)
    throw new Conflict('KEY_ALREADY_REVOKED', 'The key is already revoked');
  return {
    type: 'ApiKeyRevoked',
    data: {
      keyId: key.keyId,
      tenantId: key.tenantId,
      reason: command.data.reason,
      revokedAt: now.toISOString(),
    },
  };
}
