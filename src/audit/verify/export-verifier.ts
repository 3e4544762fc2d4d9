import { createHash } from 'node:crypto';
import { comparePositions, type GlobalPosition } from '../../event-store/event-store.port';
import { positionFromJson } from '../checkpoint/audit-checkpoint';
import { tenantDigest } from '../checkpoint/tenant-membership';
import { CheckpointChain } from './checkpoint-chain';
import { CheckpointSection } from './checkpoint-section';
import type { InclusionProof } from '../export/export-format';
import * as lines from './export-lines';
import * as f from './json-fields';
import { StreamChains } from './stream-chains';
import { checkTrailer } from './trailer-check';
import type { TrustedKeys } from './trusted-keys';
import { LineProblem, problem, VerificationFailure } from './verification-failure';
import type { VerificationReport } from './verification-report';
import { preparedEvent, type PreparedEvent, type PreparedProof } from './prepared-event';

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
  accept(raw: Buffer, digested = false): void {
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
      if (fields.kind !== 'trailer' && !digested) this.digest.update(raw).update('\n');
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
    const event = lines.readEvent(fields.event);
    this.subject = subjectOf(event);
    StreamChains.checkHash(event);
    this.placeEvent(event);
    if (fields.proof === null) this.admitUnsealed(event);
    else this.admitSealed(event, lines.readProof(fields.proof));
    this.counts.events++;
  }

  /**
   * Whether the next line may come as a PreparedEvent: only between the header and the
   * trailer; any other line must be read by `accept`.
   */
  get takesPreparedEvents(): boolean {
    return this.phase === 'sealed' || this.phase === 'unsealed';
  }

  /**
   * An `event` line that a worker has already parsed, found well formed, whose hash it found
   * to match the content, and whose audit path it has walked up to `proof.root`: the same
   * checks as `accept` from there on, in the same order. `digested`: the caller has fed the
   * line's bytes to the export digest itself (`digestBytes`).
   */
  acceptPrepared(raw: Buffer, prepared: PreparedEvent, digested = false): void {
    this.lineNumber++;
    this.subject = null;
    try {
      const event = preparedEvent(prepared);
      this.subject = subjectOf(event);
      this.placeEvent(event);
      const { proof } = prepared;
      if (proof === null) this.admitUnsealed(event);
      else this.admitSealed(event, proof, proof);
      this.counts.events++;
      if (!digested) this.digest.update(raw).update('\n');
    } catch (error) {
      if (error instanceof LineProblem)
        throw new VerificationFailure(this.lineNumber, this.subject, error.message);
      throw error;
    }
  }

  /**
   * Feeds whole lines (each with its newline) to the export digest in one go, for a caller that
   * then passes `digested` for each of them. Never for the trailer line or anything after it.
   */
  digestBytes(bytes: Buffer): void {
    this.digest.update(bytes);
  }

  /** The checks of an event line that need no more than its chain fields and position. */
  private placeEvent(event: lines.ReadEvent): void {
    lines.checkBelongs(event, this.header!);
    if (this.lastPosition) {
      const order = comparePositions(event.position, this.lastPosition);
      if (order === 0)
        problem('it repeats the position of the event before it: a duplicated event');
      if (order < 0)
        problem(`it comes after position ${this.lastPosition.commit}: events are out of order`);
    }
    this.chains.link(event);
    this.lastPosition = event.position;
  }

  private admitSealed(
    event: lines.ReadEvent,
    proof: InclusionProof,
    prepared?: PreparedProof,
  ): void {
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
    section.admit(event, proof, prepared);
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

function subjectOf(event: lines.ReadEvent): string {
  return `event ${event.stream} revision ${event.revision} (position ${event.position.commit})`;
}
