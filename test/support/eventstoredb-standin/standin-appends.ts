import type { sendUnaryData, ServerDuplexStream, ServerReadableStream } from '@grpc/grpc-js';
import { Empty as WellKnownEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import {
  AllStreamPosition,
  Empty,
  MaximumAppendSizeExceeded,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
} from '@eventstore/db-client/generated/streams_pb';
import type { ExpectedState, ProposedEvent, StandInLog } from './standin-log';
import {
  proposedEvent,
  streamIdentifier,
  streamName,
  uuidMessage,
  uuidString,
} from './standin-messages';

/** The server's default `MaxAppendSize` (1 MiB of event data, metadata and type). */
export const DEFAULT_MAX_APPEND_SIZE = 1_048_576;

interface PendingBatch {
  readonly stream: string;
  readonly expected: ExpectedState;
  readonly events: ProposedEvent[];
}

/**
 * Streams.BatchAppend, which clients use when the server lists it among its features: requests
 * carry a correlation id, the first one the options, and the one marked final completes the
 * append; each append gets one response with the same correlation id. A wrong expected version
 * travels as an error status whose details pack `WrongExpectedVersion`, as on the server.
 */
export function serveBatchAppend(
  call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>,
  log: StandInLog,
  maxAppendSize: number,
): void {
  const pending = new Map<string, PendingBatch>();
  call.on('data', (request: BatchAppendReq) => {
    const correlation = uuidString(request.getCorrelationId());
    const options = request.getOptions();
    if (options) {
      const expected = batchExpected(options);
      pending.set(correlation, {
        stream: streamName(options.getStreamIdentifier()),
        expected,
        events: [],
      });
    }
    const batch = pending.get(correlation);
    if (!batch) return;
    batch.events.push(...request.getProposedMessagesList().map(proposedEvent));
    if (!request.getIsFinal()) return;
    pending.delete(correlation);
    const response = new BatchAppendResp()
      .setCorrelationId(uuidMessage(correlation))
      .setStreamIdentifier(streamIdentifier(batch.stream));
    call.write(appendBatch(log, batch, maxAppendSize, response));
  });
  call.on('end', () => call.end());
}

function appendBatch(
  log: StandInLog,
  batch: PendingBatch,
  maxAppendSize: number,
  response: BatchAppendResp,
): BatchAppendResp {
  if (appendSize(batch.events) > maxAppendSize) {
    const details = new MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize);
    return response.setError(
      errorStatus('Maximum Append Size Exceeded', details, 'MaximumAppendSizeExceeded'),
    );
  }
  const outcome = log.append(batch.stream, batch.expected, batch.events);
  if (!outcome.ok) {
    const details = new WrongExpectedVersion();
    if (outcome.currentRevision === undefined) details.setCurrentNoStream(new WellKnownEmpty());
    else details.setCurrentStreamRevision(outcome.currentRevision.toString());
    const expected = batch.expected;
    if (expected.kind === 'revision')
      details.setExpectedStreamPosition(expected.revision.toString());
    else if (expected.kind === 'no_stream') details.setExpectedNoStream(new WellKnownEmpty());
    else if (expected.kind === 'stream_exists')
      details.setExpectedStreamExists(new WellKnownEmpty());
    else details.setExpectedAny(new WellKnownEmpty());
    return response.setError(
      errorStatus('Wrong Expected Version', details, 'WrongExpectedVersion'),
    );
  }
  const position = new AllStreamPosition()
    .setCommitPosition(outcome.position.commit.toString())
    .setPreparePosition(outcome.position.prepare.toString());
  return response.setSuccess(
    new BatchAppendResp.Success()
      .setCurrentRevision(outcome.currentRevision.toString())
      .setPosition(position),
  );
}

/**
 * Streams.Append, the older client-streaming write that clients fall back to when the server
 * does not list BatchAppend (servers before 21.10): options first, then one message per event.
 */
export function serveAppend(
  call: ServerReadableStream<AppendReq, AppendResp>,
  callback: sendUnaryData<AppendResp>,
  log: StandInLog,
): void {
  let options: AppendReq.Options | undefined;
  const events: ProposedEvent[] = [];
  call.on('data', (request: AppendReq) => {
    if (request.hasOptions()) options = request.getOptions();
    const message = request.getProposedMessage();
    if (message) events.push(proposedEvent(message));
  });
  call.on('end', () => {
    if (!options) return callback(new Error('Append needs options first'));
    const expected = appendExpected(options);
    const outcome = log.append(streamName(options.getStreamIdentifier()), expected, events);
    if (outcome.ok) {
      const position = new AppendResp.Position()
        .setCommitPosition(outcome.position.commit.toString())
        .setPreparePosition(outcome.position.prepare.toString());
      const success = new AppendResp.Success()
        .setCurrentRevision(outcome.currentRevision.toString())
        .setPosition(position);
      return callback(null, new AppendResp().setSuccess(success));
    }
    const wrong = new AppendResp.WrongExpectedVersion();
    if (outcome.currentRevision === undefined) wrong.setCurrentNoStream(new Empty());
    else wrong.setCurrentRevision(outcome.currentRevision.toString());
    if (expected.kind === 'revision') wrong.setExpectedRevision(expected.revision.toString());
    else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new Empty());
    else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
    else wrong.setExpectedAny(new Empty());
    callback(null, new AppendResp().setWrongExpectedVersion(wrong));
  });
}

function batchExpected(options: BatchAppendReq.Options): ExpectedState {
  if (options.hasStreamPosition())
    return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

function appendExpected(options: AppendReq.Options): ExpectedState {
  if (options.hasRevision()) return { kind: 'revision', revision: BigInt(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

function appendSize(events: readonly ProposedEvent[]): number {
  return events.reduce(
    (size, event) =>
      size + event.data.length + event.customMetadata.length + Buffer.byteLength(event.type),
    0,
  );
}

function errorStatus(
  message: string,
  details: { serializeBinary(): Uint8Array },
  type: string,
): Status {
  const packed = new Any();
  packed.pack(details.serializeBinary(), `event_store.client.${type}`);
  return new Status().setCode(Code.FAILED_PRECONDITION).setMessage(message).setDetails(packed);
}
