import {
  WrongExpectedRevision,
  type EventStore,
  type GlobalPosition,
  type JsonObject,
  type RecordedEvent,
} from '../../event-store/event-store.port';
import { SCHEMA_VERSION } from '../../event-store/write-path/event-streams';
import type { Clock } from '../../shared/clock';
import type { IdGenerator } from '../../shared/ids';
import { GENESIS_HASH, chainEvents } from '../../event-store/hash-chain';
import {
  AUDIT_CHECKPOINT_STREAM,
  CHECKPOINT_EVENT_TYPE,
  checkpointStatement,
  positionFromJson,
  positionToJson,
  type CheckpointBody,
  type CheckpointData,
} from '../checkpoint/audit-checkpoint';
import { CheckpointTrees, type CheckpointLeaf } from '../checkpoint/checkpoint-trees';
import { tenantDigest, tenantOf } from '../checkpoint/tenant-membership';
import type { AuditSigner } from '../signing/audit-signer';

export type SealResult =
  | { readonly kind: 'sealed'; readonly checkpoint: CheckpointData }
  /** Fewer unsealed events than asked for: nothing written. */
  | { readonly kind: 'not-enough'; readonly pending: number }
  /** Another sealer appended a checkpoint first: nothing written; look again. */
  | { readonly kind: 'lost-race' };

const PAGE = 1000;

/**
 * Seals the events after the last checkpoint into the next one. Ranges are contiguous by
 * construction (each starts where the previous one ended, read from the store), and the append
 * expects the checkpoint stream's revision that was read: of two sealers that read the same
 * last checkpoint, exactly one appends, so no range is sealed twice or skipped, across restarts
 * and processes alike.
 */
export class CheckpointSealer {
  constructor(
    private readonly store: EventStore,
    private readonly signer: AuditSigner,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async lastCheckpoint(): Promise<RecordedEvent | undefined> {
    const [last] = await this.store.readStream(AUDIT_CHECKPOINT_STREAM, {
      direction: 'backwards',
      maxCount: 1,
    });
    return last;
  }

  /** Where the unsealed events start: the end of the last checkpoint's range. */
  async sealedUpTo(): Promise<GlobalPosition | undefined> {
    const last = await this.lastCheckpoint();
    return last ? positionFromJson((last.data as unknown as CheckpointData).range.last) : undefined;
  }

  /** Seals the next `maxLeaves` unsealed events at most, if there are at least `minLeaves`. */
  async sealNext(options: { maxLeaves: number; minLeaves: number }): Promise<SealResult> {
    const last = await this.lastCheckpoint();
    const previous = last?.data as unknown as CheckpointData | undefined;
    const after = previous ? positionFromJson(previous.range.last) : undefined;
    const { leaves, span } = await this.readRange(after, options.maxLeaves);
    if (!span || leaves.length < options.minLeaves) {
      return { kind: 'not-enough', pending: leaves.length };
    }
    const trees = new CheckpointTrees(leaves);
    const body: CheckpointBody = {
      sequence: last ? Number(last.revision) + 1 : 0,
      range: { after: previous ? previous.range.last : null, last: positionToJson(span.last) },
      treeSize: trees.size,
      merkleRoot: trees.merkleRoot(),
      tenantRoot: trees.tenantRoot(),
      firstOccurredAt: span.firstOccurredAt,
      lastOccurredAt: span.lastOccurredAt,
      previousCheckpointHash: last?.metadata.hash ?? GENESIS_HASH,
      sealedAt: this.clock.now().toISOString(),
      keyId: this.signer.keyId,
    };
    const data: CheckpointData = {
      ...body,
      signature: this.signer.sign(checkpointStatement(body)),
    };
    const [event] = chainEvents(
      AUDIT_CHECKPOINT_STREAM,
      last?.revision,
      body.previousCheckpointHash,
      [
        {
          id: this.ids.uuid(),
          type: CHECKPOINT_EVENT_TYPE,
          data: data as unknown as JsonObject,
          metadata: {
            schemaVersion: SCHEMA_VERSION,
            occurredAt: body.sealedAt,
            actor: { type: 'system', id: 'audit-sealer' },
            requestId: this.ids.uuid(),
          },
        },
      ],
    );
    try {
      await this.store.append(AUDIT_CHECKPOINT_STREAM, [event], last?.revision ?? 'no_stream');
    } catch (error) {
      if (error instanceof WrongExpectedRevision) return { kind: 'lost-race' };
      throw error;
    }
    return { kind: 'sealed', checkpoint: data };
  }

  /** Seals everything unsealed now, in checkpoints of at most `maxLeaves`; returns how many. */
  async sealAll(maxLeaves: number): Promise<CheckpointData[]> {
    const sealed: CheckpointData[] = [];
    for (;;) {
      const result = await this.sealNext({ maxLeaves, minLeaves: 1 });
      if (result.kind === 'not-enough') return sealed;
      if (result.kind === 'sealed') sealed.push(result.checkpoint);
    }
  }

  private async readRange(
    after: GlobalPosition | undefined,
    maxLeaves: number,
  ): Promise<{ leaves: CheckpointLeaf[]; span?: RangeSpan }> {
    const leaves: CheckpointLeaf[] = [];
    let span: RangeSpan | undefined;
    let cursor = after;
    while (leaves.length < maxLeaves) {
      const maxCount = Math.min(PAGE, maxLeaves - leaves.length + 16);
      const page = await this.store.readAll({ ...(cursor && { after: cursor }), maxCount });
      if (page.length === 0) break;
      for (const event of page) {
        cursor = event.position;
        if (event.stream === AUDIT_CHECKPOINT_STREAM) continue;
        leaves.push(leafOf(event));
        span = widen(span, event);
        if (leaves.length === maxLeaves) break;
      }
    }
    return { leaves, span };
  }
}

interface RangeSpan {
  readonly last: GlobalPosition;
  readonly firstOccurredAt: string;
  readonly lastOccurredAt: string;
}

function widen(span: RangeSpan | undefined, event: RecordedEvent): RangeSpan {
  const at = event.metadata.occurredAt;
  if (!span) return { last: event.position, firstOccurredAt: at, lastOccurredAt: at };
  const ms = Date.parse(at);
  return {
    last: event.position,
    firstOccurredAt: ms < Date.parse(span.firstOccurredAt) ? at : span.firstOccurredAt,
    lastOccurredAt: ms > Date.parse(span.lastOccurredAt) ? at : span.lastOccurredAt,
  };
}

const HASH = /^[0-9a-f]{64}$/;

/** An event as a leaf of both trees. */
export function leafOf(event: RecordedEvent): CheckpointLeaf {
  if (!HASH.test(event.metadata.hash)) {
    throw new Error(
      `event ${event.stream}@${event.revision} has no valid hash; the store is damaged`,
    );
  }
  return {
    position: event.position,
    hash: Buffer.from(event.metadata.hash, 'hex'),
    tenantDigest: tenantDigest(tenantOf(event)),
  };
}
