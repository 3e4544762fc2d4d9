import type { ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { filterSettings, send } from './standin-call';
import type { LogRecord, StandInLog } from './standin-log';
import { readEvent, streamName, streamNotFound } from './standin-messages';

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

const BACKWARDS = ReadReq.Options.ReadDirection.BACKWARDS;

/**
 * Streams.Read without a subscription: one stream forwards or backwards from a revision, or
 * `$all` from a position. As on the server, a forwards `$all` read from a position includes the
 * event at that position, a backwards one starts just before it, and a missing stream answers
 * with a `stream_not_found` message rather than an error status.
 */
export async function serveRead(call: ReadCall, log: StandInLog, options: ReadReq.Options) {
  const count = BigInt(options.getCount());
  const backwards = options.getReadDirection() === BACKWARDS;
  if (options.hasStream()) {
    const stream = options.getStream()!;
    const name = streamName(stream.getStreamIdentifier());
    const events = log.stream(name);
    if (!events) return send(call, streamNotFound(name));
    await sendAll(call, take(streamRange(events, stream, backwards), count), false);
    return;
  }
  const filter = filterSettings(options);
  const all = allRange(log, options.getAll()!, backwards);
  const matching = filter ? filtered(all, filter.matches) : all;
  await sendAll(call, take(matching, count), true);
}

function* streamRange(
  events: readonly LogRecord[],
  options: ReadReq.Options.StreamOptions,
  backwards: boolean,
): Generator<LogRecord> {
  const last = events.length - 1;
  // Revisions of a stream that was never truncated are its array indexes.
  let from = 0; // `start`, in either direction
  if (options.hasRevision()) from = Number(BigInt(options.getRevision()));
  else if (options.hasEnd()) from = backwards ? last : last + 1;
  if (backwards) for (let i = Math.min(from, last); i >= 0; i--) yield events[i];
  else for (let i = from; i <= last; i++) yield events[i];
}

function* allRange(
  log: StandInLog,
  options: ReadReq.Options.AllOptions,
  backwards: boolean,
): Generator<LogRecord> {
  if (backwards) {
    const before = options.hasPosition()
      ? log.indexAtOrAfter(position(options.getPosition()!))
      : options.hasStart()
        ? 0
        : log.length;
    for (let i = before - 1; i >= 0; i--) yield log.at(i);
    return;
  }
  const from = options.hasPosition()
    ? log.indexAtOrAfter(position(options.getPosition()!))
    : options.hasEnd()
      ? log.length
      : 0;
  for (let i = from; i < log.length; i++) yield log.at(i);
}

function* filtered(records: Iterable<LogRecord>, matches: (record: LogRecord) => boolean) {
  for (const record of records) if (matches(record)) yield record;
}

function* take(records: Iterable<LogRecord>, count: bigint): Generator<LogRecord> {
  if (count <= 0n) return;
  let taken = 0n;
  for (const record of records) {
    yield record;
    if (++taken >= count) return;
  }
}

async function sendAll(call: ReadCall, records: Iterable<LogRecord>, fromAll: boolean) {
  for (const record of records) {
    if (call.cancelled) return;
    await send(call, readEvent(record, fromAll));
  }
}

export function position(message: ReadReq.Options.Position): { commit: bigint; prepare: bigint } {
  return {
    commit: BigInt(message.getCommitPosition()),
    prepare: BigInt(message.getPreparePosition()),
  };
}
