import { comparePositions } from '../../event-store/event-store.port';
import {
  AUDIT_CHECKPOINT_STREAM,
  CHECKPOINT_EVENT_TYPE,
  checkpointStatement,
  positionFromJson,
  samePosition,
  type CheckpointData,
} from '../checkpoint/audit-checkpoint';
import { GENESIS_HASH } from '../../event-store/hash-chain';
import type { ReadEvent } from './export-lines';
import { readCheckpointData } from './export-lines';
import { StreamChains } from './stream-chains';
import type { TrustedKeys } from './trusted-keys';
import { problem } from './verification-failure';

/**
 * The chain of checkpoints, from the first: each one intact, next in sequence, linked to the
 * hash of the one before, starting its range where that one ended, and signed by a trusted key.
 */
export class CheckpointChain {
  private previous?: { readonly data: CheckpointData; readonly hash: string };
  readonly keysUsed = new Set<string>();
  count = 0;

  constructor(private readonly keys: TrustedKeys) {}

  /** The last checkpoint admitted, if any. */
  get last(): CheckpointData | undefined {
    return this.previous?.data;
  }

  /** Checks the checkpoint event and adds it to the chain; throws a LineProblem if it fails. */
  admit(event: ReadEvent): CheckpointData {
    StreamChains.checkHash(event);
    if (event.stream !== AUDIT_CHECKPOINT_STREAM || event.type !== CHECKPOINT_EVENT_TYPE) {
      problem(`it is a ${event.type} event of stream ${event.stream}, not a checkpoint`);
    }
    const data = readCheckpointData(event.data);
    const expected = this.previous ? this.previous.data.sequence + 1 : 0;
    if (event.revision !== BigInt(data.sequence)) {
      problem(`its sequence ${data.sequence} is not its revision`);
    }
    if (data.sequence !== expected) {
      problem(
        data.sequence > expected
          ? `checkpoints ${expected} to ${data.sequence - 1} are missing before it`
          : `it repeats or reorders checkpoint ${data.sequence}`,
      );
    }
    const previousHash = this.previous?.hash ?? GENESIS_HASH;
    if (event.metadata.prevHash !== previousHash || data.previousCheckpointHash !== previousHash) {
      problem(
        `it is not linked to the hash of checkpoint ${expected - 1}: the checkpoint chain is broken`,
      );
    }
    const endedAt = this.previous?.data.range.last ?? null;
    if (!samePosition(data.range.after, endedAt)) {
      const from = data.range.after?.commit ?? 'the start';
      problem(
        `its range starts after ${from}, not where checkpoint ${expected - 1} ended (${endedAt?.commit ?? 'the start'}): a range was skipped or sealed twice`,
      );
    }
    const after = positionFromJson(data.range.after);
    const last = positionFromJson(data.range.last)!;
    if (data.treeSize < 1 || (after && comparePositions(last, after) <= 0)) {
      problem('its range is empty');
    }
    const signatureProblem = this.keys.check(data.keyId, checkpointStatement(data), data.signature);
    if (signatureProblem) problem(signatureProblem);
    this.keysUsed.add(data.keyId);
    this.previous = { data, hash: event.metadata.hash };
    this.count++;
    return data;
  }
}
