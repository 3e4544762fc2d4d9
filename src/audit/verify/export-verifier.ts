import { createHash } from 'node:crypto';
import { comparePositions, type GlobalPosition } from '../../event-store/event-store.port';
import { positionFromJson } from '../checkpoint/audit-checkpoint';
import { tenantDigest } from '../checkpoint/tenant-membership';
import { CheckpointChain } from './checkpoint-chain';
import { CheckpointSection } from './checkpoint-section';
import * as lines from './export-lines';
import * as f from './json-fields';
import { StreamChains } from './stream-chains';
import { checkTrailer } from './trailer-check';
import type { TrustedKeys } from './trusted-keys';
import { LineProblem, problem, VerificationFailure } from './verification-failure';
import type { VerificationReport } from './verification-report';

type Phase = 'header' | 'sealed' | 'unsealed' | 'done';

/**
 * Checks an audit export line by line, offline: no server, no database, only the export and
 * the public keys the auditor trusts. `accept` throws a VerificationFailure at the first line
 * that does not check out; `finish` returns what was proven.
 */
export class ExportVerifier {
  private phase: Phase = 'header';
  private lineNumber = 0;
  private header?: lines.ReadHeader;
  private chains!: StreamChains;
  private ownDigest!: Buffer;
  private readonly digest = createHash('sha256');
  private section?: { readonly checkpoint: CheckpointSection; readonly line: number };
  private lastPosition?: GlobalPosition;
  private readonly counts = { events: 0, sealedEvents: 0, unsealedEvents: 0, complete: 0 };
  private readonly checkpoints: CheckpointChain;
  private subject: string | null = null;

  constructor(private readonly keys: TrustedKeys) {
    this.checkpoints = new CheckpointChain(keys);
  }

  /** One line of the file, without its newline, as raw bytes. */
  accept(raw: Buffer): void {
    this.lineNumber++;
    this.subject = null;
    try {
      if (this.phase === 'done') problem('there is more after the trailer');
      const fields = f.parseLine(raw, this.lineNumber === 1);
      if (this.phase === 'header') {
        if (fields.kind !== 'header') problem('the export does not start with its header');
        this.readHeader(fields);
      } else if (fields.kind === 'checkpoint') this.readCheckpoint(fields);
      else if (fields.kind === 'event') this.readEvent(fields);
      else if (fields.kind === 'trailer') this.readTrailer(fields);
      else problem(`unknown kind of line ${JSON.stringify(fields.kind)}`);
      if (fields.kind !== 'trailer') this.digest.update(raw).update('\n');
    } catch (error) {
      if (error instanceof LineProblem)
        throw new VerificationFailure(this.lineNumber, this.subject, error.message);
      throw error;
    }
  }

  /** After the last line; `truncatedLine` when the file ended in the middle of a line. */
  finish(truncatedLine = false): VerificationReport {
    if (truncatedLine) {
      throw new VerificationFailure(
        this.lineNumber + 1,
        null,
        'the line is cut short: the file is truncated',
      );
    }
    if (this.lineNumber === 0) throw new VerificationFailure(0, null, 'the file is empty');
    if (this.phase !== 'done') {
      throw new VerificationFailure(
        this.lineNumber,
        null,
        `the export ends after line ${this.lineNumber} without its trailer: the file is truncated`,
      );
    }
    const header = this.header!;
    return {
      tenant: header.tenant,
      exportedAt: header.exportedAt,
      window: header.window,
      filter: header.filter,
      events: this.counts.events,
      sealedEvents: this.counts.sealedEvents,
      unsealedEvents: this.counts.unsealedEvents,
      streams: this.chains.streams,
      streamsStartingLater: this.chains.streamsStartingLater,
      checkpoints: this.checkpoints.count,
      lastCheckpoint: this.checkpoints.last?.sequence ?? null,
      lastSealedPosition: this.checkpoints.last?.range.last.commit ?? null,
      completeCheckpoints: this.counts.complete,
      keyIds: [...this.checkpoints.keysUsed],
    };
  }

  private readHeader(fields: f.Fields): void {
    const header = lines.readHeader(fields);
    this.header = header;
    this.ownDigest = tenantDigest(header.tenant);
    const windowed = header.window.from !== null;
    this.chains = new StreamChains(
      windowed || header.filter.type !== null,
      header.filter.type !== null,
    );
    this.phase = 'sealed';
  }

  private readCheckpoint(fields: f.Fields): void {
    if (this.phase === 'unsealed') problem('a checkpoint comes after the unsealed events');
    this.closeSection();
    const event = lines.readEvent(fields.event, 'the checkpoint event');
    this.subject = `checkpoint ${event.revision}`;
    const data = this.checkpoints.admit(event);
    const slice = lines.readSlice(fields.tenantSlice);
    const checkpoint = new CheckpointSection(data, event.positionJson, slice, this.ownDigest);
    this.section = { checkpoint, line: this.lineNumber };
  }

  private readEvent(fields: f.Fields): void {
    const header = this.header!;
    const event = lines.readEvent(fields.event);
    this.subject = `event ${event.stream} revision ${event.revision} (position ${event.position.commit})`;
    StreamChains.checkHash(event);
    lines.checkBelongs(event, header);
    if (this.lastPosition) {
      const order = comparePositions(event.position, this.lastPosition);
      if (order === 0)
        problem('it repeats the position of the event before it: a duplicated event');
      if (order < 0)
        problem(`it comes after position ${this.lastPosition.commit}: events are out of order`);
    }
    this.chains.link(event);
    if (fields.proof === null) this.admitUnsealed(event);
    else this.admitSealed(event, lines.readProof(fields.proof));
    this.lastPosition = event.position;
    this.counts.events++;
  }

  private admitSealed(event: lines.ReadEvent, proof: ReturnType<typeof lines.readProof>): void {
    if (this.phase === 'unsealed')
      problem('it has an inclusion proof, yet it comes after the unsealed events');
    const section = this.section?.checkpoint;
    if (!section)
      problem(
        `its inclusion proof names checkpoint ${proof.checkpoint.sequence}, which the export has not shown before it`,
      );
    const filtered = this.header!.filter.keyId !== null || this.header!.filter.type !== null;
    if (!section.slice && !filtered)
      problem(
        `it is listed under checkpoint ${section.sequence}, which is outside the export window`,
      );
    section.admit(event, proof);
    this.counts.sealedEvents++;
  }

  private admitUnsealed(event: lines.ReadEvent): void {
    this.closeSection();
    this.phase = 'unsealed';
    const last = this.checkpoints.last;
    const sealedUpTo = last && positionFromJson(last.range.last);
    if (last && sealedUpTo && comparePositions(event.position, sealedUpTo) <= 0) {
      problem(`it has no inclusion proof, yet checkpoint ${last.sequence} covers its position`);
    }
    this.counts.unsealedEvents++;
  }

  private readTrailer(fields: f.Fields): void {
    this.closeSection();
    this.subject = 'the trailer';
    const held = {
      events: this.counts.events,
      checkpoints: this.checkpoints.count,
      unsealedEvents: this.counts.unsealedEvents,
    };
    const digest = this.digest.copy().digest('hex');
    const keyId = checkTrailer(fields, held, digest, this.header!.tenant, this.keys);
    this.checkpoints.keysUsed.add(keyId);
    this.phase = 'done';
  }

  /** The section before a checkpoint, the unsealed part or the trailer must be complete. */
  private closeSection(): void {
    const section = this.section;
    if (!section) return;
    this.section = undefined;
    const { checkpoint, line } = section;
    const reason = checkpoint.completenessProblem();
    if (reason) throw new VerificationFailure(line, `checkpoint ${checkpoint.sequence}`, reason);
    if (checkpoint.slice) this.counts.complete++;
  }
}
