import {
  ANY,
  jsonEvent,
  NO_STREAM,
  type AppendExpectedRevision,
  type EventData,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  matchesFilter,
  type EventFilter,
  type EventMetadata,
  type ExpectedRevision,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.port';

/**
 * The streams Keyledger writes (SPEC §5). `$all` also holds the server's own system events and
 * possibly other applications' streams: reads and subscriptions keep to these prefixes.
 */
export const KEYLEDGER_STREAM_PREFIXES: readonly string[] = [
  'apikey-',
  'rootkey-',
  'tenant-',
  'usage-',
  'audit-',
];

export function toClientRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  return expected;
}

/** Data and metadata go as JSON, the writer's event id as the server's event id. */
export function toEventData(event: NewEvent): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata as unknown as JsonObject,
  });
}

/** Whether an event of `$all` is Keyledger's: one of its streams, not a system (`$`) event. */
export function isKeyledgerEvent(stream: string, type: string): boolean {
  return (
    !type.startsWith('$') && KEYLEDGER_STREAM_PREFIXES.some((prefix) => stream.startsWith(prefix))
  );
}

/** The server-side stream-name filter: the caller's prefixes, else Keyledger's own. */
export function serverPrefixes(filter: EventFilter | undefined): string[] {
  const wanted = filter?.streamPrefixes?.length ? filter.streamPrefixes : KEYLEDGER_STREAM_PREFIXES;
  return [...wanted];
}

/** A `$all` event as the port's record, or undefined when it is not one the filter lets through. */
export function keyledgerEvent(
  resolved: ResolvedEvent,
  filter: EventFilter | undefined,
): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || !isKeyledgerEvent(event.streamId, event.type)) return undefined;
  if (!matchesFilter(filter, event.streamId, event.type)) return undefined;
  return toRecordedEvent(resolved);
}

/**
 * A stored event as the port's record. Positions are the server's commit/prepare pair, kept as
 * they are; a stream read carries them from server 22.10 on.
 */
export function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new Error('EventStoreDB returned a read result without an event');
  if (!event.isJson || !isObject(event.data) || !isObject(event.metadata)) {
    throw new Error(
      `Event ${event.id} in ${event.streamId} is not a Keyledger event (JSON data and metadata)`,
    );
  }
  if (!event.position)
    throw new Error(`EventStoreDB returned event ${event.id} without a position`);
  return {
    id: event.id,
    type: event.type,
    data: event.data as JsonObject,
    metadata: event.metadata as unknown as EventMetadata,
    stream: event.streamId,
    revision: event.revision,
    position: { commit: event.position.commit, prepare: event.position.prepare },
  };
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
