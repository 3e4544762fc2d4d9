import {
  comparePositions,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
} from '../../event-store/event-store.port';
import type { Clock } from '../../shared/clock';
import {
  AUDIT_CHECKPOINT_STREAM,
  positionFromJson,
  positionToJson,
  type CheckpointData,
} from '../checkpoint/audit-checkpoint';
import { CheckpointTrees, type CheckpointLeaf } from '../checkpoint/checkpoint-trees';
import { tenantDigest, tenantOf } from '../checkpoint/tenant-membership';
import { leafOf } from '../sealer/checkpoint-sealer';
import type { AuditSigner } from '../signing/audit-signer';
import {
  EXPORT_FORMAT,
  exportedEvent,
  type ExportWindow,
  type HeaderLine,
  type TrailerLine,
} from './export-format';
import { selectWindow, type ExportRequest } from './export-request';
import { LineWriter } from './line-writer';

/** Told how far an export has got, and what its trailer says once it is written. */
export interface ExportObserver {
  readonly onProgress?: (scannedEvents: number) => void;
  readonly onTrailer?: (trailer: TrailerLine) => void;
}

const PAGE = 5000;
/** Lines are handed out in chunks of about this many characters. */
const CHUNK = 64 * 1024;

/**
 * Writes a tenant's audit export (see export-format.ts) as a stream of text chunks, reading the
 * store one checkpoint range at a time: memory holds one range, never the export. Every range is
 * re-hashed against its checkpoint on the way, so a store that no longer matches what was sealed
 * fails the export instead of producing proofs that cannot verify.
 */
export class TenantAuditExport {
  constructor(
    private readonly store: EventStore,
    private readonly signer: AuditSigner,
    private readonly clock: Clock,
  ) {}

  async *chunks(request: ExportRequest, options: ExportObserver = {}): AsyncGenerator<string> {
    const checkpoints = await this.store.readStream(AUDIT_CHECKPOINT_STREAM);
    const window = selectWindow(request, checkpoints.map(checkpointData));
    const writer = new LineWriter();
    let scanned = 0;
    const progress = (count: number) => options.onProgress?.((scanned += count));

    writer.write(this.header(request, window));
    for (const checkpoint of checkpoints) {
      const data = checkpointData(checkpoint);
      if (!opens(window, data.sequence)) {
        writer.write(
          { kind: 'checkpoint', event: exportedEvent(checkpoint), tenantSlice: null },
          'checkpoint',
        );
        continue;
      }
      const range = await this.readRange(data, request, progress);
      const trees = new CheckpointTrees(range.leaves);
      if (
        trees.size !== data.treeSize ||
        trees.merkleRoot() !== data.merkleRoot ||
        trees.tenantRoot() !== data.tenantRoot
      ) {
        throw new Error(`the event store no longer matches audit checkpoint ${data.sequence}`);
      }
      const filtered = request.keyId !== undefined || request.type !== undefined;
      const tenantSlice = filtered ? null : trees.tenantSlice(tenantDigest(request.tenantId));
      writer.write(
        { kind: 'checkpoint', event: exportedEvent(checkpoint), tenantSlice },
        'checkpoint',
      );
      const sealedBy = { sequence: data.sequence, position: positionToJson(checkpoint.position) };
      for (const { event, leafIndex } of range.selected) {
        const proof = {
          checkpoint: sealedBy,
          leafIndex,
          treeSize: data.treeSize,
          auditPath: trees.auditPath(leafIndex),
        };
        writer.write({ kind: 'event', event: exportedEvent(event), proof }, 'event');
      }
      if (writer.pending >= CHUNK) yield writer.take();
    }
    if (window.unsealed) {
      const last = checkpoints.at(-1);
      let after = last ? positionFromJson(checkpointData(last).range.last) : undefined;
      for (;;) {
        const page = await this.store.readAll({ ...(after && { after }), maxCount: PAGE });
        if (page.length === 0) break;
        progress(page.length);
        after = page[page.length - 1].position;
        for (const event of page) {
          if (selects(request, event))
            writer.write({ kind: 'event', event: exportedEvent(event), proof: null }, 'unsealed');
        }
        if (writer.pending >= CHUNK) yield writer.take();
      }
    }
    const trailer = writer.writeTrailer(request.tenantId, this.signer);
    options.onTrailer?.(trailer);
    yield writer.take();
  }

  private header(request: ExportRequest, window: ExportWindow): HeaderLine {
    return {
      kind: 'header',
      format: EXPORT_FORMAT,
      tenant: request.tenantId,
      exportedAt: this.clock.now().toISOString(),
      window,
      filter: { keyId: request.keyId ?? null, type: request.type ?? null },
      keyIds: [this.signer.keyId],
    };
  }

  /** Every leaf of a checkpoint's range, and the tenant's events among them with their index. */
  private async readRange(
    data: CheckpointData,
    request: ExportRequest,
    progress: (n: number) => void,
  ) {
    const leaves: CheckpointLeaf[] = [];
    const selected: { event: RecordedEvent; leafIndex: number }[] = [];
    const last = positionFromJson(data.range.last);
    if (!last) throw new Error(`audit checkpoint ${data.sequence} has no valid range`);
    let after: GlobalPosition | undefined = positionFromJson(data.range.after) ?? undefined;
    for (;;) {
      // Only checkpoint events sit between a range's leaves: read little more than it holds.
      const maxCount = Math.min(PAGE, data.treeSize - leaves.length + 16);
      const page = await this.store.readAll({ ...(after && { after }), maxCount });
      progress(page.length);
      for (const event of page) {
        if (comparePositions(event.position, last) > 0) return { leaves, selected };
        if (event.stream === AUDIT_CHECKPOINT_STREAM) continue;
        if (selects(request, event)) selected.push({ event, leafIndex: leaves.length });
        leaves.push(leafOf(event));
      }
      if (page.length === 0) return { leaves, selected };
      after = page[page.length - 1].position;
    }
  }
}

function selects(request: ExportRequest, event: RecordedEvent): boolean {
  if (event.stream === AUDIT_CHECKPOINT_STREAM || tenantOf(event) !== request.tenantId)
    return false;
  if (request.keyId !== undefined && event.stream !== `apikey-${request.keyId}`) return false;
  return request.type === undefined || event.type === request.type;
}

function opens(window: ExportWindow, sequence: number): boolean {
  const { firstCheckpoint: first, lastCheckpoint: last } = window;
  return first !== null && last !== null && sequence >= first && sequence <= last;
}

function checkpointData(event: RecordedEvent): CheckpointData {
  return event.data as unknown as CheckpointData;
}
