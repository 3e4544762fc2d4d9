import { randomUUID } from 'node:crypto';

/**
 * The EventStoreDB stand-in's storage: one in-memory transaction log in `$all` order, with a
 * per-stream index. It is NOT EventStoreDB; it keeps the parts of its behaviour the Keyledger
 * adapter relies on, as the server documents and implements them:
 * - a position is the byte offset of the event's record in the log, so positions grow by
 *   uneven steps; `commit` equals `prepare` for every event (implicit transactions, the only
 *   kind the gRPC API writes), and an append answers with the position of its last event;
 * - expected revision: `any`, `no_stream`, `stream_exists` or an exact revision, checked and
 *   written as one step (Node runs one handler at a time, so appends cannot interleave);
 * - a fresh log already holds system events (`$`-prefixed streams and types), as a real one does.
 */
export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export interface LogRecord extends ProposedEvent {
  readonly stream: string;
  readonly revision: bigint;
  readonly position: LogPosition;
  /** 100-ns ticks since the Unix epoch, as the server stamps `created` over gRPC. */
  readonly createdTicks: bigint;
}

export type ExpectedState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

export type AppendOutcome =
  | { readonly ok: true; readonly currentRevision: bigint; readonly position: LogPosition }
  | { readonly ok: false; readonly currentRevision: bigint | undefined };

/** Bytes of record framing the server writes around an event's own bytes; any fixed value does. */
const RECORD_OVERHEAD = 88n;
const encoder = new TextEncoder();

export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export class StandInLog {
  private readonly records: LogRecord[] = [];
  private readonly streams = new Map<string, LogRecord[]>();
  private readonly appendListeners = new Set<() => void>();
  private nextOffset = 0n;

  constructor() {
    // What a freshly started node writes before any client connects.
    this.write('$epochs', [systemEvent('$epoch-information')]);
    this.write('$$$scavenges', [systemEvent('$metadata')]);
  }

  get length(): number {
    return this.records.length;
  }

  at(index: number): LogRecord {
    return this.records[index];
  }

  append(stream: string, expected: ExpectedState, events: readonly ProposedEvent[]): AppendOutcome {
    const current = this.streams.get(stream)?.at(-1)?.revision;
    if (!holds(expected, current)) return { ok: false, currentRevision: current };
    const written = this.write(stream, events);
    const last = written.at(-1);
    // An empty append succeeds without writing, as on the server.
    if (!last) return { ok: true, currentRevision: current ?? -1n, position: this.head() };
    for (const listener of this.appendListeners) listener();
    return { ok: true, currentRevision: last.revision, position: last.position };
  }

  /** The events of `stream`, or undefined when it does not exist. */
  stream(stream: string): readonly LogRecord[] | undefined {
    return this.streams.get(stream);
  }

  /** Index of the first record at or after `position` (the log's length if there is none). */
  indexAtOrAfter(position: LogPosition): number {
    let [low, high] = [0, this.records.length];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (comparePositions(this.records[middle].position, position) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Index of the first record strictly after `position`. */
  indexAfter(position: LogPosition): number {
    const index = this.indexAtOrAfter(position);
    const found = this.records[index];
    return found && comparePositions(found.position, position) === 0 ? index + 1 : index;
  }

  /** Position just past the last record: where the next one will be written. */
  head(): LogPosition {
    return { commit: this.nextOffset, prepare: this.nextOffset };
  }

  /** Calls `listener` after every successful append; returns the way to stop. */
  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  private write(stream: string, events: readonly ProposedEvent[]): LogRecord[] {
    const existing = this.streams.get(stream) ?? [];
    let revision = existing.at(-1)?.revision ?? -1n;
    const createdTicks = BigInt(Date.now()) * 10_000n;
    const written = events.map((event) => {
      revision += 1n;
      const offset = this.nextOffset;
      this.nextOffset += recordSize(stream, event);
      return {
        ...event,
        stream,
        revision,
        createdTicks,
        position: { commit: offset, prepare: offset },
      };
    });
    this.records.push(...written);
    if (written.length > 0) this.streams.set(stream, [...existing, ...written]);
    return written;
  }
}

function holds(expected: ExpectedState, current: bigint | undefined): boolean {
  switch (expected.kind) {
    case 'any':
      return true;
    case 'no_stream':
      return current === undefined;
    case 'stream_exists':
      return current !== undefined;
    case 'revision':
      return current === expected.revision;
    default: {
      const unknown: never = expected;
      throw new Error(`Unknown expected state ${JSON.stringify(unknown)}`);
    }
  }
}

function recordSize(stream: string, event: ProposedEvent): bigint {
  const text = encoder.encode(stream + event.type + event.contentType).length;
  return RECORD_OVERHEAD + BigInt(text + event.data.length + event.customMetadata.length);
}

function systemEvent(type: string): ProposedEvent {
  return {
    id: randomUUID(),
    type,
    contentType: 'application/json',
    data: encoder.encode('{}'),
    customMetadata: new Uint8Array(),
  };
}
