import type { RecordedEvent } from '../../src/event-store/event-store.port';
import type { ApiKeyCreated, ApiKeyEvent } from '../../src/keys/domain/api-key.events';
import type { KeyRecord, VerifiableKey } from '../../src/keys/read-models/key-directory.port';
import { apiKeyRevoked, apiKeyRotated, type KeyRef } from '../support/factories';
import { KeyEventLog } from '../support/key-events';

/** Every field of `KeyRecord`, in the order every adapter gives them. */
export const KEY_RECORD_FIELDS = [
  'keyId',
  'tenantId',
  'name',
  'environment',
  'kind',
  'scopes',
  'expiresAt',
  'rateLimit',
  'allowedIps',
  'allowedOrigins',
  'metadata',
  'keyHash',
  'hint',
  'createdAt',
  'createdBy',
  'rotatedFrom',
  'revokedAt',
  'revocationReason',
  'rotatedTo',
  'graceEndsAt',
  'updatedAt',
  'revision',
] as const satisfies readonly (keyof KeyRecord)[];
// Fails to compile once `KeyRecord` has a field the list above leaves out.
const everyField: Record<Exclude<keyof KeyRecord, (typeof KEY_RECORD_FIELDS)[number]>, never> = {};
void everyField;

/** A change to a key: its event, and the fields it sets on the key's record. */
export interface KeyChange {
  readonly event: ApiKeyEvent;
  readonly sets: Partial<KeyRecord>;
}

const ref = (key: KeyRef): KeyRef => ({ keyId: key.keyId, tenantId: key.tenantId });
const GRACE_ENDS_AT = '2026-03-01T13:00:00.000Z';

/** Every kind of change a key can go through after its creation (SPEC §5). */
export const KEY_CHANGES: readonly (readonly [string, (key: KeyRef) => KeyChange])[] = [
  [
    'renamed',
    (key) => ({
      event: { type: 'ApiKeyRenamed', data: { ...ref(key), name: 'Renamed' } },
      sets: { name: 'Renamed' },
    }),
  ],
  [
    'given other scopes',
    (key) => ({
      event: { type: 'ApiKeyScopesChanged', data: { ...ref(key), scopes: ['billing:read'] } },
      sets: { scopes: ['billing:read'] },
    }),
  ],
  [
    'given another expiry',
    (key) => ({
      event: {
        type: 'ApiKeyExpiryChanged',
        data: { ...ref(key), expiresAt: '2026-06-01T00:00:00.000Z' },
      },
      sets: { expiresAt: '2026-06-01T00:00:00.000Z' },
    }),
  ],
  [
    'given another rate limit',
    (key) => ({
      event: {
        type: 'ApiKeyRateLimitChanged',
        data: { ...ref(key), rateLimit: { limit: 5, windowSeconds: 1 } },
      },
      sets: { rateLimit: { limit: 5, windowSeconds: 1 } },
    }),
  ],
  [
    'given other restrictions',
    (key) => ({
      event: {
        type: 'ApiKeyRestrictionsChanged',
        data: {
          ...ref(key),
          allowedIps: ['192.168.0.0/16'],
          allowedOrigins: ['https://other.example'],
        },
      },
      sets: { allowedIps: ['192.168.0.0/16'], allowedOrigins: ['https://other.example'] },
    }),
  ],
  [
    'given other metadata',
    (key) => ({
      event: {
        type: 'ApiKeyMetadataChanged',
        data: { ...ref(key), metadata: { plan: 'enterprise', seats: 40 } },
      },
      sets: { metadata: { plan: 'enterprise', seats: 40 } },
    }),
  ],
  [
    'rotated',
    (key) => {
      const event = apiKeyRotated(key, { graceEndsAt: GRACE_ENDS_AT });
      return { event, sets: { rotatedTo: event.data.newKeyId, graceEndsAt: GRACE_ENDS_AT } };
    },
  ],
  [
    'revoked',
    (key) => {
      const event = apiKeyRevoked(key, { reason: 'leaked' });
      return { event, sets: { revokedAt: event.data.revokedAt, revocationReason: 'leaked' } };
    },
  ],
];

/**
 * Key events as a subscription delivers them, with the record each key should then have,
 * written out here from SPEC §5 rather than taken from the domain's own `evolve`.
 */
export class KeyHistory {
  private readonly log = new KeyEventLog();
  private readonly records = new Map<string, KeyRecord>();

  get events(): readonly RecordedEvent[] {
    return this.log.events;
  }

  created(data: ApiKeyCreated['data'], occurredAt: string): RecordedEvent {
    this.records.set(data.keyId, {
      ...data,
      revokedAt: null,
      revocationReason: null,
      rotatedTo: null,
      graceEndsAt: null,
      updatedAt: occurredAt,
      revision: 0,
    });
    return this.log.add({ type: 'ApiKeyCreated', data }, occurredAt);
  }

  changed(change: KeyChange, occurredAt: string): RecordedEvent {
    const before = this.recordOf(change.event.data.keyId);
    this.records.set(before.keyId, {
      ...before,
      ...change.sets,
      updatedAt: occurredAt,
      revision: before.revision + 1,
    });
    return this.log.add(change.event, occurredAt);
  }

  /** The record the key should have after every event so far. */
  recordOf(keyId: string): KeyRecord {
    const record = this.records.get(keyId);
    if (record === undefined) throw new Error(`No key ${keyId} in this history`);
    return record;
  }
}

const PROBE_SCOPES = ['orders:read', 'orders:write', 'billing:read'];
const PROBE_IPS = ['10.1.2.3', '192.168.1.1', '8.8.8.8'];
const PROBE_ORIGINS = ['https://app.example.com', 'https://other.example'];

/**
 * A verifiable key as values, copied: what each record field reads, the record's JSON, and what
 * each compiled check answers. Equal snapshots taken before and after a change show that the
 * object was not mutated.
 */
export function snapshotOf(key: VerifiableKey): unknown {
  const { record } = key;
  return {
    record: Object.fromEntries(
      KEY_RECORD_FIELDS.map((field) => [field, structuredClone(record[field])]),
    ),
    json: JSON.stringify(record),
    expiresAtMs: key.expiresAtMs,
    expiresAtIso: key.expiresAtIso,
    grants: PROBE_SCOPES.map((scope) => key.scopes.grants(scope)),
    missing: key.scopes.missing(PROBE_SCOPES),
    ips: key.ips && PROBE_IPS.map((ip) => key.ips?.allows(ip)),
    origins: key.origins && PROBE_ORIGINS.map((origin) => key.origins?.allows(origin)),
  };
}
