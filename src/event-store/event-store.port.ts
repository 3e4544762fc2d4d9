import type { ActorRef } from '../shared/command-context';
import { DomainError } from '../shared/errors';

/**
 * Where an event sits in the global order of the whole store. SQLite uses one sequence for
 * both numbers; EventStoreDB's `$all` has distinct commit and prepare positions, which
 * stored positions (projection positions, audit checkpoints) must carry faithfully. Compare with `comparePositions`, never field by field.
 */
export interface GlobalPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** The 0-based index of an event within its stream. */
export type StreamRevision = bigint;

/**
 * What the writer believes about the stream it appends to:
 * - `'no_stream'`: the stream must not exist yet (the first append);
 * - a revision: the revision of the stream's last event must be exactly this;
 * - `'any'`: no check (only for streams with a single writer, such as usage batches).
 */
export type ExpectedRevision = 'no_stream' | 'any' | StreamRevision;

/**
 * The metadata every event carries, including its place in the stream's hash chain
 * (docs/audit-format.md §3.1).
 */
export interface EventMetadata {
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly actor: ActorRef;
  readonly requestId: string;
  readonly ip?: string;
  readonly userAgent?: string;
  readonly prevHash: string;
  readonly hash: string;
}

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface NewEvent {
  /** A UUID chosen by the writer; stores may use it for idempotent appends. */
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent extends NewEvent {
  readonly stream: string;
  readonly revision: StreamRevision;
  readonly position: GlobalPosition;
}

export interface AppendResult {
  /** Revision of the last event written: the expected revision for the next append. */
  readonly nextExpectedRevision: StreamRevision;
  /** Global position of the last event written. */
  readonly position: GlobalPosition;
}

/** Which events a global read or subscription sees. Both lists empty or absent: everything. */
export interface EventFilter {
  readonly streamPrefixes?: readonly string[];
  readonly eventTypes?: readonly string[];
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Start at this revision (inclusive); default: the first (forwards) or last (backwards). */
  readonly fromRevision?: StreamRevision;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Only events strictly after this position; absent: from the very start. */
  readonly after?: GlobalPosition;
  readonly filter?: EventFilter;
  /** Page size; stores cap it to keep memory bounded. */
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  readonly after?: GlobalPosition;
  readonly filter?: EventFilter;
}

/**
 * A catch-up subscription: first every stored event after the start position, then each new
 * event as it is committed (by this process or any other one), in global order, each once.
 * The handler is awaited before the next event is delivered.
 */
export interface EventSubscription {
  /** Resolves once every event that existed when the subscription started has been handled. */
  readonly caughtUp: Promise<void>;
  /** Position of the last event handled, if any. */
  lastPosition(): GlobalPosition | undefined;
  /** Stops delivery; resolves when no handler call is in flight. */
  close(): Promise<void>;
}

export interface SubscriptionHandlers {
  readonly onEvent: (event: RecordedEvent) => void | Promise<void>;
  /** A handler or store failure ends the subscription and is reported here. */
  readonly onError?: (error: unknown) => void;
}

/** The event-store port. Every adapter passes `test/contract/event-store.contract.ts`. */
export interface EventStore {
  /**
   * Appends `events` to `stream` atomically if `expectedRevision` holds; otherwise writes
   * nothing and rejects with `WrongExpectedRevision`. Appending no events is an error.
   */
  append(
    stream: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult>;
  /** A stream that does not exist reads as empty. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** One page of events in global order. An empty page means there is nothing more now. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribe(options: SubscribeOptions, handlers: SubscriptionHandlers): EventSubscription;
  /** Throws if the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');

export class WrongExpectedRevision extends DomainError {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: StreamRevision | 'no_stream',
  ) {
    super(
      'conflict',
      'CONCURRENCY_CONFLICT',
      'The resource was changed concurrently; retry the request',
    );
  }
}

export function matchesFilter(
  filter: EventFilter | undefined,
  stream: string,
  type: string,
): boolean {
  if (!filter) return true;
  const { streamPrefixes, eventTypes } = filter;
  if (streamPrefixes?.length && !streamPrefixes.some((p) => stream.startsWith(p))) return false;
  if (eventTypes?.length && !eventTypes.includes(type)) return false;
  return true;
}
