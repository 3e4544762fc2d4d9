import { createHash } from 'node:crypto';

/**
 * Which tenant an event belongs to (docs/audit-format.md §6.1): the `tenant-<id>` stream, and
 * every `apikey-` event, whose data names its tenant. Root keys, usage batches and checkpoints
 * belong to none.
 */
export function tenantOf(event: {
  readonly stream: string;
  readonly data: unknown;
}): string | null {
  if (!event.stream.startsWith('apikey-') && !event.stream.startsWith('tenant-')) return null;
  const data = event.data as { tenantId?: unknown } | null;
  const tenantId = typeof data === 'object' && data !== null ? data.tenantId : undefined;
  if (typeof tenantId !== 'string') return null;
  if (event.stream.startsWith('tenant-') && event.stream !== `tenant-${tenantId}`) return null;
  return tenantId;
}

const digests = new Map<string, Buffer>();

/**
 * What a tenant's leaves are sorted and grouped by in a checkpoint's tenant tree. Hashing the id
 * keeps other tenants' names out of the proofs an export carries (only their digests appear).
 * Tenant ids are never empty, so the empty id stands for "no tenant".
 */
export function tenantDigest(tenantId: string | null): Buffer {
  const key = tenantId ?? '';
  let digest = digests.get(key);
  if (!digest) {
    digest = createHash('sha256').update(`keyledger-tenant:${key}`, 'utf8').digest();
    if (digests.size < 10_000) digests.set(key, digest);
  }
  return digest;
}
