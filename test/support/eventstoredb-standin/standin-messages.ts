import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { LogPosition, LogRecord, ProposedEvent } from './standin-log';

/**
 * Conversions between the gRPC messages the client sends and receives (the definitions shipped
 * in `@eventstore/db-client/generated/`) and the stand-in's log records.
 */

export function streamName(identifier: StreamIdentifier | undefined): string {
  if (!identifier) throw new Error('A stream identifier is required');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

export function streamIdentifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

/** UUIDs travel in their string form, which is what this client asks for and sends. */
export function uuidString(uuid: UUID | undefined): string {
  if (!uuid?.hasString()) throw new Error('The stand-in only reads UUIDs in their string form');
  return uuid.getString();
}

export function uuidMessage(value: string): UUID {
  return new UUID().setString(value);
}

interface ProposedMessageLike {
  getId(): UUID | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

/** An event as proposed in Append or BatchAppend; `type` and `content-type` are required. */
export function proposedEvent(message: ProposedMessageLike): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (!type || !contentType) throw new Error('A proposed event needs a type and a content type');
  return {
    id: uuidString(message.getId()),
    type,
    contentType,
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

/**
 * One event of a read or subscription. Reads of `$all` also carry the commit position on the
 * envelope; stream reads carry the event's own positions only (servers from 22.x fill them in).
 */
export function readEvent(record: LogRecord, fromAll: boolean): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(record.id))
    .setStreamIdentifier(streamIdentifier(record.stream))
    .setStreamRevision(record.revision.toString())
    .setCommitPosition(record.position.commit.toString())
    .setPreparePosition(record.position.prepare.toString())
    .setData(record.data)
    .setCustomMetadata(record.customMetadata);
  recorded
    .getMetadataMap()
    .set('type', record.type)
    .set('content-type', record.contentType)
    .set('created', record.createdTicks.toString());
  const envelope = new ReadResp.ReadEvent().setEvent(recorded);
  if (fromAll) envelope.setCommitPosition(record.position.commit.toString());
  else envelope.setNoPosition(new Empty());
  return new ReadResp().setEvent(envelope);
}

export function checkpoint(position: LogPosition): ReadResp {
  return new ReadResp().setCheckpoint(
    new ReadResp.Checkpoint()
      .setCommitPosition(position.commit.toString())
      .setPreparePosition(position.prepare.toString()),
  );
}

export function confirmation(subscriptionId: string): ReadResp {
  return new ReadResp().setConfirmation(
    new ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId),
  );
}

export function caughtUp(): ReadResp {
  return new ReadResp().setCaughtUp(new ReadResp.CaughtUp());
}

export function streamNotFound(name: string): ReadResp {
  return new ReadResp().setStreamNotFound(
    new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name)),
  );
}
