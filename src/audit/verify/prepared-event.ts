import type { EventMetadata } from '../../event-store/event-store.port';
import type { InclusionProof } from '../export/export-format';
import type { ReadEvent } from './export-lines';

/**
 * An `event` line as a worker hands it over (line-worker-source.ts): every field the verifier
 * reads was well formed and the hash matched the content; the leaves are hashed. What is left
 * are the checks that depend on the lines before it, the inclusion proof's among them.
 */
export interface PreparedEvent {
  readonly stream: string;
  readonly revision: string;
  readonly commit: string;
  readonly prepare: string;
  readonly type: string;
  /** `data.tenantId` when it is a string, else null: all that tenantOf reads of the data. */
  readonly tenantId: string | null;
  readonly prevHash: string;
  readonly hash: string;
  readonly proof: PreparedProof | null;
}

export interface PreparedProof extends InclusionProof {
  /**
   * The node at each level of the walk from the event's leaf (the first) up its audit path,
   * 32 bytes each: what CheckpointSection would hash, level by level.
   */
  readonly levels: Buffer;
  /** The event's leaf in the tenant tree, for the tenant its data names. */
  readonly tenantLeaf: Buffer;
}

/** A ReadEvent with just the fields the sequential checks read (no id, data cut to tenantId). */
export function preparedEvent(prepared: PreparedEvent): ReadEvent {
  const { commit, prepare } = prepared;
  return {
    id: '',
    stream: prepared.stream,
    revision: BigInt(prepared.revision),
    position: { commit: BigInt(commit), prepare: BigInt(prepare) },
    positionJson: { commit, prepare },
    type: prepared.type,
    data: prepared.tenantId === null ? {} : { tenantId: prepared.tenantId },
    metadata: { prevHash: prepared.prevHash, hash: prepared.hash } as EventMetadata,
  };
}

/** Reads the records of a worker's answer (layout in line-worker-source.ts) from `at`. */
export function readPrepared(
  out: readonly unknown[],
  at: number,
  leaves: Buffer,
): [PreparedEvent, number] {
  let i = at + 3;
  const stream = out[i++] as string;
  const revision = out[i++] as string;
  const commit = out[i++] as string;
  const prepare = out[i++] as string;
  const type = out[i++] as string;
  const tenantId = out[i++] as string | null;
  const prevHash = out[i++] as string;
  const hash = out[i++] as string;
  let proof: PreparedProof | null = null;
  if (out[i++] === 1) {
    const at = out[i + 6] as number;
    proof = {
      checkpoint: {
        sequence: out[i] as number,
        position: { commit: out[i + 1] as string, prepare: out[i + 2] as string },
      },
      leafIndex: out[i + 3] as number,
      treeSize: out[i + 4] as number,
      auditPath: { length: out[i + 5] as number } as readonly string[], // only its length is read
      tenantLeaf: leaves.subarray(at, at + 32),
      levels: leaves.subarray(at + 32, at + 32 + 32 * (out[i + 7] as number)),
    };
    i += 8;
  }
  return [{ stream, revision, commit, prepare, type, tenantId, prevHash, hash, proof }, i];
}
