import type {
  EventMetadata,
  GlobalPosition,
  JsonObject,
  RecordedEvent,
} from '../../event-store/event-store.port';
import type { CheckpointData, PositionJson } from '../checkpoint/audit-checkpoint';
import type { TenantSlice } from '../checkpoint/checkpoint-trees';
import type { ExportFilter, ExportWindow, InclusionProof } from '../export/export-format';
import { EXPORT_FORMAT } from '../export/export-format';
import { tenantOf } from '../checkpoint/tenant-membership';
import * as f from './json-fields';
import { problem } from './verification-failure';

/** An exported event read back, with its position in both forms. */
export interface ReadEvent extends RecordedEvent {
  readonly positionJson: PositionJson;
}

export function readEvent(value: unknown, what = 'the event'): ReadEvent {
  const fields = f.object(value, what);
  const metadata = f.object(fields.metadata, `${what}'s metadata`);
  f.hex64(metadata, 'prevHash', `${what}'s metadata`);
  f.hex64(metadata, 'hash', `${what}'s metadata`);
  f.isoTime(metadata, 'occurredAt', `${what}'s metadata`);
  const { position, json } = f.position(fields.position, `${what}'s position`);
  return {
    id: f.text(fields, 'id', what),
    stream: f.text(fields, 'stream', what),
    revision: f.decimal(fields, 'revision', what),
    position,
    positionJson: json,
    type: f.text(fields, 'type', what),
    data: f.object(fields.data, `${what}'s data`) as JsonObject,
    metadata: metadata as unknown as EventMetadata,
  };
}

export function readProof(value: unknown): InclusionProof & { position: GlobalPosition } {
  const fields = f.object(value, 'the inclusion proof');
  const checkpoint = f.object(fields.checkpoint, "the inclusion proof's checkpoint");
  const { position, json } = f.position(checkpoint.position, "the inclusion proof's checkpoint");
  return {
    checkpoint: {
      sequence: f.count(checkpoint, 'sequence', 'the inclusion proof'),
      position: json,
    },
    position,
    leafIndex: f.count(fields, 'leafIndex', 'the inclusion proof'),
    treeSize: f.count(fields, 'treeSize', 'the inclusion proof'),
    auditPath: f.hexList(fields, 'auditPath', 'the inclusion proof'),
  };
}

export function readCheckpointData(value: unknown): CheckpointData {
  const what = 'the checkpoint';
  const fields = f.object(value, what);
  const range = f.object(fields.range, "the checkpoint's range");
  const after = range.after === null ? null : f.position(range.after, "the range's start").json;
  return {
    sequence: f.count(fields, 'sequence', what),
    range: { after, last: f.position(range.last, "the range's end").json },
    treeSize: f.count(fields, 'treeSize', what),
    merkleRoot: f.hex64(fields, 'merkleRoot', what),
    tenantRoot: f.hex64(fields, 'tenantRoot', what),
    firstOccurredAt: f.isoTime(fields, 'firstOccurredAt', what),
    lastOccurredAt: f.isoTime(fields, 'lastOccurredAt', what),
    previousCheckpointHash: f.hex64(fields, 'previousCheckpointHash', what),
    sealedAt: f.isoTime(fields, 'sealedAt', what),
    keyId: f.text(fields, 'keyId', what),
    signature: f.text(fields, 'signature', what),
  };
}

export function readSlice(value: unknown): TenantSlice | null {
  if (value === null) return null;
  const what = 'the tenant slice';
  const fields = f.object(value, what);
  const neighbor = (name: string) => {
    if (fields[name] === null) return null;
    const n = f.object(fields[name], `the tenant slice's ${name} neighbour`);
    return {
      tenantDigest: f.hex64(n, 'tenantDigest', what),
      eventHash: f.hex64(n, 'eventHash', what),
    };
  };
  return {
    start: f.count(fields, 'start', what),
    count: f.count(fields, 'count', what),
    before: neighbor('before'),
    after: neighbor('after'),
    proof: f.hexList(fields, 'proof', what),
  };
}

export interface ReadHeader {
  readonly tenant: string;
  readonly exportedAt: string;
  readonly window: ExportWindow;
  readonly filter: ExportFilter;
}

export function readHeader(fields: f.Fields): ReadHeader {
  const what = 'the header';
  const format = fields.format;
  if (format !== EXPORT_FORMAT) {
    problem(
      `unsupported export format ${JSON.stringify(format)} (this verifier reads ${EXPORT_FORMAT})`,
    );
  }
  const window = f.object(fields.window, "the header's window");
  const filter = f.object(fields.filter, "the header's filter");
  if (typeof window.unsealed !== 'boolean') problem("the header's window has no unsealed flag");
  return {
    tenant: f.text(fields, 'tenant', what),
    exportedAt: f.isoTime(fields, 'exportedAt', what),
    window: {
      from: f.textOrNull(window, 'from', "the header's window"),
      to: f.textOrNull(window, 'to', "the header's window"),
      firstCheckpoint: f.countOrNull(window, 'firstCheckpoint', "the header's window"),
      lastCheckpoint: f.countOrNull(window, 'lastCheckpoint', "the header's window"),
      unsealed: window.unsealed,
    },
    filter: {
      keyId: f.textOrNull(filter, 'keyId', "the header's filter"),
      type: f.textOrNull(filter, 'type', "the header's filter"),
    },
  };
}

/** An event of the export's tenant, and of its key or type when the export is filtered. */
export function checkBelongs(event: ReadEvent, header: ReadHeader): void {
  const tenant = tenantOf(event);
  if (tenant !== header.tenant) {
    problem(
      `it belongs to ${tenant === null ? 'no tenant' : `tenant ${tenant}`}, not to ${header.tenant}`,
    );
  }
  if (header.filter.keyId !== null && event.stream !== `apikey-${header.filter.keyId}`) {
    problem('it is not an event of the key the export is filtered by');
  }
  if (header.filter.type !== null && event.type !== header.filter.type) {
    problem('it is not of the event type the export is filtered by');
  }
}
