import { canonicalJson } from '../../shared/canonical-hash';
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

export interface CreateKey {
  readonly type: 'CreateKey';
  readonly data: Required<KeySettingsInput> & {
    readonly keyId: string;
    readonly tenantId: string;
    readonly name: string;
    readonly environment: KeyEnvironment;
    readonly kind: KeyKind;
    readonly keyHash: string;
    readonly hint: string;
    readonly createdBy: string;
  };
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

export interface RevokeKey {
  readonly type: 'RevokeKey';
  readonly data: {
    readonly keyId: string;
    readonly tenantId: string;
    readonly reason: string | null;
  };
}

export type ApiKeyCommand = CreateKey | UpdateKey | RotateKey | RevokeKey;

/** decide(command, state, now) → events: pure; throws a DomainError when the command is refused. */
export function decideApiKey(command: ApiKeyCommand, state: ApiKeyState, now: Date): ApiKeyEvent[] {
  switch (command.type) {
    case 'CreateKey':
      return [createKey(command, state, now)];
    case 'UpdateKey':
      return updateKey(command, existing(state, command.data.tenantId), now);
    case 'RotateKey':
      return [rotateKey(command, existing(state, command.data.tenantId), now)];
    case 'RevokeKey':
      return [revokeKey(command, existing(state, command.data.tenantId), now)];
    default: {
      const unknownCommand: never = command;
      return unknownCommand;
    }
  }
}

/** The key that replaces `old` after a rotation: same settings, new secret, `rotatedFrom` set. */
export function replacementKey(
  old: ApiKeyFields,
  rotation: { newKeyId: string; keyHash: string; hint: string; createdBy: string },
  now: Date,
): ApiKeyCreated {
  return {
    type: 'ApiKeyCreated',
    data: {
      keyId: rotation.newKeyId,
      tenantId: old.tenantId,
      name: old.name,
      environment: old.environment,
      kind: old.kind,
      scopes: old.scopes,
      expiresAt: old.expiresAt,
      rateLimit: old.rateLimit,
      allowedIps: old.allowedIps,
      allowedOrigins: old.allowedOrigins,
      metadata: old.metadata,
      keyHash: rotation.keyHash,
      hint: rotation.hint,
      createdAt: now.toISOString(),
      createdBy: rotation.createdBy,
      rotatedFrom: old.keyId,
    },
  };
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
  const settings = normalizeKeySettings(input);
  return {
    type: 'ApiKeyCreated',
    data: {
      keyId: input.keyId,
      tenantId: input.tenantId,
      name: settings.name,
      environment: input.environment,
      kind: input.kind,
      scopes: settings.scopes,
      expiresAt: settings.expiresAt,
      rateLimit: settings.rateLimit,
      allowedIps: settings.allowedIps,
      allowedOrigins: settings.allowedOrigins,
      metadata: settings.metadata,
      keyHash: input.keyHash,
      hint: input.hint,
      createdAt: now.toISOString(),
      createdBy: input.createdBy,
      rotatedFrom: null,
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
  if (deriveStatus(key, now) === 'expired')
    throw new Conflict('KEY_EXPIRED', 'An expired key cannot be rotated');
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
