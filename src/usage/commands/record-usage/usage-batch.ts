import type { TenantBinding } from '../../../root-keys';
import type { ValidationDetail } from '../../../shared/errors';
import { statusClassOf, type StatusClass } from '../../domain/usage-recorded';

export const MAX_BATCH_ENTRIES = 1000;
export const MAX_ENDPOINT_LENGTH = 256;
/** A use reported later than this, or dated in the future by more, is refused as a mistake. */
export const MAX_CLOCK_SKEW_MS = 24 * 3_600_000;
const MAX_LATENCY_MS = 86_400_000;

/** One use as the caller reports it, after its request finished. */
export interface ReportedUse {
  readonly keyId: string;
  readonly endpoint: string;
  /** The HTTP status the caller answered with. */
  readonly status: number;
  readonly latencyMs?: number;
  /** ISO 8601; absent: now. */
  readonly at?: string;
}

/** A reported use that passed every check, ready to be counted. */
export interface AcceptedUse {
  readonly keyId: string;
  readonly tenantId: string;
  readonly endpoint: string;
  readonly status: StatusClass;
  readonly atMs: number;
  readonly latencyMs?: number;
}

export interface BatchScope {
  /** Owning tenant of each known key id. */
  readonly owners: ReadonlyMap<string, string>;
  /** The tenants the reporting root key may speak for. */
  readonly binding: TenantBinding;
  /** When given, every key must belong to this tenant. */
  readonly tenantId?: string;
  readonly now: Date;
}

export type BatchCheck =
  | { readonly ok: true; readonly uses: AcceptedUse[] }
  | { readonly ok: false; readonly problems: ValidationDetail[] };

/**
 * Whether a reported entry is an object at all. The DTO's nested validation lets an array
 * through as an entry (it checks the array's items instead), so nothing may read an entry's
 * fields before asking this.
 */
export function isEntryObject(use: ReportedUse): boolean {
  return typeof use === 'object' && use !== null && !Array.isArray(use);
}

/**
 * All or nothing: every problem of every entry, each naming its entry (`entries.<index>.<field>`),
 * or every use accepted. An unknown key and a key the caller may not see get the same message,
 * so a batch cannot probe for other tenants' keys.
 */
export function checkBatch(reported: readonly ReportedUse[], scope: BatchScope): BatchCheck {
  const problems: ValidationDetail[] = [];
  const uses: AcceptedUse[] = [];
  if (reported.length === 0 || reported.length > MAX_BATCH_ENTRIES) {
    const message = `entries must hold from 1 to ${MAX_BATCH_ENTRIES} uses (got ${reported.length})`;
    return { ok: false, problems: [{ field: 'entries', message }] };
  }
  const nowMs = scope.now.getTime();
  reported.forEach((use, index) => {
    if (!isEntryObject(use)) {
      problems.push({ field: `entries.${index}`, message: 'each entry must be an object' });
      return;
    }
    const problem = (field: string, message: string) =>
      problems.push({ field: `entries.${index}.${field}`, message });
    const tenantId = scope.owners.get(use.keyId);
    const visible =
      tenantId !== undefined &&
      (scope.tenantId === undefined || scope.tenantId === tenantId) &&
      (scope.binding === '*' || scope.binding.includes(tenantId));
    if (!visible) problem('keyId', 'no such API key');
    if (use.endpoint.length < 1 || use.endpoint.length > MAX_ENDPOINT_LENGTH)
      problem('endpoint', `endpoint must be 1 to ${MAX_ENDPOINT_LENGTH} characters`);
    if (!Number.isInteger(use.status) || use.status < 100 || use.status > 599)
      problem('status', 'status must be an integer from 100 to 599');
    const { latencyMs } = use;
    if (
      latencyMs !== undefined &&
      (!Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > MAX_LATENCY_MS)
    )
      problem('latencyMs', `latencyMs must be from 0 to ${MAX_LATENCY_MS}`);
    const atMs = use.at === undefined ? nowMs : Date.parse(use.at);
    if (Number.isNaN(atMs)) problem('at', 'at must be an ISO 8601 instant');
    else if (Math.abs(atMs - nowMs) > MAX_CLOCK_SKEW_MS)
      problem('at', 'at must be within 24 hours of now');
    if (problems.length > 0 || tenantId === undefined) return;
    uses.push({
      keyId: use.keyId,
      tenantId,
      endpoint: use.endpoint,
      status: statusClassOf(use.status),
      atMs,
      ...(latencyMs !== undefined ? { latencyMs } : {}),
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, uses };
}
