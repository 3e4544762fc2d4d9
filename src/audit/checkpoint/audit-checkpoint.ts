import type { GlobalPosition } from '../../event-store/event-store.port';
import { canonicalJson } from '../../shared/canonical-hash';

/** The one stream of checkpoints: its expected revision is what keeps two sealers apart. */
export const AUDIT_CHECKPOINT_STREAM = 'audit-checkpoints';
export const CHECKPOINT_EVENT_TYPE = 'AuditCheckpointSealed';
/** Signed with every checkpoint, so a checkpoint signature can never pass for another statement. */
export const CHECKPOINT_STATEMENT = 'keyledger-checkpoint/1';

/** A global position in JSON: decimal strings, because positions are 64-bit. */
export interface PositionJson {
  readonly commit: string;
  readonly prepare: string;
}

/** Everything a checkpoint asserts; signed as RFC 8785 JSON with `statement` added. */
export interface CheckpointBody {
  /** 0, 1, 2, …: the revision of the checkpoint in its stream. */
  readonly sequence: number;
  /** Covers the events with a position after `after` (null: from the start) up to `last`. */
  readonly range: { readonly after: PositionJson | null; readonly last: PositionJson };
  /** How many events the range holds (checkpoint events are never leaves). */
  readonly treeSize: number;
  /** RFC 6962 root over the events' hashes in global order. */
  readonly merkleRoot: string;
  /** RFC 6962 root over (tenant digest ‖ event hash), sorted by tenant digest then position. */
  readonly tenantRoot: string;
  /** Earliest and latest `occurredAt` in the range: what export windows select by. */
  readonly firstOccurredAt: string;
  readonly lastOccurredAt: string;
  /** The hash of the previous checkpoint event (64 zeros for the first). */
  readonly previousCheckpointHash: string;
  readonly sealedAt: string;
  /** Which Ed25519 key signed: first 16 hex digits of SHA-256 of the raw public key. */
  readonly keyId: string;
}

export interface CheckpointData extends CheckpointBody {
  /** Ed25519 signature (base64) of `checkpointStatement(body)`. */
  readonly signature: string;
}

export interface AuditCheckpointSealed {
  readonly type: typeof CHECKPOINT_EVENT_TYPE;
  readonly data: CheckpointData;
}

/** The exact bytes a checkpoint signature covers. */
export function checkpointStatement(body: CheckpointBody): Buffer {
  const signed: Record<string, unknown> = { ...body, statement: CHECKPOINT_STATEMENT };
  delete signed.signature;
  return Buffer.from(canonicalJson(signed), 'utf8');
}

export function positionToJson(position: GlobalPosition): PositionJson {
  return { commit: position.commit.toString(), prepare: position.prepare.toString() };
}

const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;

/** Parses a position written by `positionToJson`; undefined for anything else. */
export function positionFromJson(value: unknown): GlobalPosition | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { commit, prepare } = value as Record<string, unknown>;
  if (typeof commit !== 'string' || typeof prepare !== 'string') return undefined;
  if (!DECIMAL.test(commit) || !DECIMAL.test(prepare)) return undefined;
  return { commit: BigInt(commit), prepare: BigInt(prepare) };
}

export function samePosition(a: PositionJson | null, b: PositionJson | null): boolean {
  return a === b || (a !== null && b !== null && a.commit === b.commit && a.prepare === b.prepare);
}
