import type { KeyRecord } from '../read-models/key-directory.port';
import type { KeyUsageFields } from '../queries/key-last-use.port';
import { deriveStatus } from '../domain/api-key.state';

/**
 * The public shape of a key: never the hash, never the plaintext. `usage` (from the usage read
 * models) adds `lastUsedAt`, and for a single key its 24 h summary.
 */
export function keyView(record: KeyRecord, now: Date, usage?: KeyUsageFields) {
  return {
    id: record.keyId,
    tenantId: record.tenantId,
    name: record.name,
    hint: record.hint,
    environment: record.environment,
    kind: record.kind,
    status: deriveStatus(record, now),
    scopes: record.scopes,
    expiresAt: record.expiresAt,
    rateLimit: record.rateLimit,
    allowedIps: record.allowedIps,
    allowedOrigins: record.allowedOrigins,
    metadata: record.metadata,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    revokedAt: record.revokedAt,
    revocationReason: record.revocationReason,
    rotatedFrom: record.rotatedFrom,
    rotatedTo: record.rotatedTo,
    graceEndsAt: record.graceEndsAt,
    ...usage,
  };
}
