import type {
  EventMetadata,
  JsonObject,
  JsonValue,
  RecordedEvent,
} from '../../event-store/event-store.port';
import { canonicalJson } from '../../shared/canonical-hash';
import { positionToJson, type PositionJson } from '../checkpoint/audit-checkpoint';
import type { TenantSlice } from '../checkpoint/checkpoint-trees';

/**
 * The NDJSON audit export, one JSON object per line, in this order:
 * 1. `header`;
 * 2. for every checkpoint, in sequence: the `checkpoint` line (the full AuditCheckpointSealed
 *    event, and the tenant slice proving which of its leaves are the tenant's), then the
 *    tenant's `event` lines it covers, each with its inclusion proof;
 * 3. the tenant's unsealed `event` lines (proof null);
 * 4. `trailer`: counts, SHA-256 of every byte before it, and an Ed25519 signature.
 */
export const EXPORT_FORMAT = 'keyledger-audit-export/1';
export const EXPORT_STATEMENT = 'keyledger-export/1';

/** A RecordedEvent in JSON: revision and position as decimal strings (they are 64-bit). */
export interface ExportedEvent {
  readonly id: string;
  readonly stream: string;
  readonly revision: string;
  readonly position: PositionJson;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
}

export interface ExportWindow {
  /** Asked for: only checkpoints whose events' times meet [from, to) are opened. */
  readonly from: string | null;
  readonly to: string | null;
  /** The checkpoints whose events are in the export (null: none). */
  readonly firstCheckpoint: number | null;
  readonly lastCheckpoint: number | null;
  /** Whether the tenant's events after the last checkpoint are in the export. */
  readonly unsealed: boolean;
}

/** An export narrowed to one key or one event type cannot prove completeness: no slices. */
export interface ExportFilter {
  readonly keyId: string | null;
  readonly type: string | null;
}

export interface HeaderLine {
  readonly kind: 'header';
  readonly format: typeof EXPORT_FORMAT;
  readonly tenant: string;
  readonly exportedAt: string;
  readonly window: ExportWindow;
  readonly filter: ExportFilter;
  /** Ids of the keys that signed what follows; the trust comes from `--public-key`, not here. */
  readonly keyIds: readonly string[];
}

export interface InclusionProof {
  readonly checkpoint: { readonly sequence: number; readonly position: PositionJson };
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly auditPath: readonly string[];
}

export interface CheckpointLine {
  readonly kind: 'checkpoint';
  readonly event: ExportedEvent;
  /** Null when the checkpoint is outside the window or the export is filtered. */
  readonly tenantSlice: TenantSlice | null;
}

export interface EventLine {
  readonly kind: 'event';
  readonly event: ExportedEvent;
  /** Null for an unsealed event. */
  readonly proof: InclusionProof | null;
}

export interface TrailerCounts {
  readonly events: number;
  readonly checkpoints: number;
  readonly unsealedEvents: number;
  /** SHA-256 (hex) of every byte of the export before the trailer line. */
  readonly sha256: string;
}

export interface TrailerLine extends TrailerCounts {
  readonly kind: 'trailer';
  readonly keyId: string;
  readonly signature: string;
}

export type ExportLine = HeaderLine | CheckpointLine | EventLine | TrailerLine;

export function exportedEvent(event: RecordedEvent): ExportedEvent {
  return {
    id: event.id,
    stream: event.stream,
    revision: event.revision.toString(),
    position: positionToJson(event.position),
    type: event.type,
    data: inCanonicalOrder(event.data),
    metadata: inCanonicalOrder(event.metadata as unknown as JsonObject) as unknown as EventMetadata,
  };
}

/** The exact bytes a trailer signature covers. */
export function trailerStatement(tenant: string, counts: TrailerCounts, keyId: string): Buffer {
  const { events, checkpoints, unsealedEvents, sha256 } = counts;
  const statement = {
    statement: EXPORT_STATEMENT,
    tenant,
    events,
    checkpoints,
    unsealedEvents,
    sha256,
    keyId,
  };
  return Buffer.from(canonicalJson(statement), 'utf8');
}

/**
 * A copy of `value` whose object keys are inserted in RFC 8785 order (UTF-16 code units).
 * Written that way, an exported event parses back into objects that JSON.stringify renders as
 * their canonical JSON, which lets the verifier skip re-canonicalising (see event-hash-check).
 */
export function inCanonicalOrder<T extends JsonValue>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => inCanonicalOrder(item)) as T;
  const sorted: Record<string, JsonValue> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = inCanonicalOrder(value[key]);
  return sorted as T;
}
