import { BSON } from 'bson';
import { MAX_MESSAGE_SIZE_BYTES } from './standin-handshake-commands';
import type { BsonDocument } from './standin-values';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

const HEADER_SIZE = 16;
const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
/** Flag bits 0–15 are "required": a receiver must refuse a message with one it does not know. */
const KNOWN_REQUIRED_BITS = CHECKSUM_PRESENT | MORE_TO_COME;

/** Numbers stay typed (Int32, Double, Int64) so that stored documents round-trip exactly. */
const EXACT: BSON.DeserializeOptions = {
  promoteValues: false,
  promoteBuffers: false,
  bsonRegExp: false,
};

export type Request =
  | {
      readonly kind: 'msg';
      readonly requestId: number;
      readonly moreToCome: boolean;
      readonly command: BsonDocument;
    }
  | {
      readonly kind: 'query';
      readonly requestId: number;
      readonly database: string;
      readonly command: BsonDocument;
    };

/** A malformed message: the connection is closed, the server goes on. */
export class WireProtocolError extends Error {}

/**
 * Cuts a TCP byte stream into whole messages by their length prefix: a message may arrive
 * in several chunks, a chunk may hold several messages.
 */
export class MessageFramer {
  // Chunks are joined only once a whole message is there: a 48 MB batch arriving in 64 kB
  // chunks is copied once, not once per chunk.
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: Buffer[] = [];
    while (this.buffered >= 4) {
      if (this.chunks[0].length < 4) this.join();
      const length = this.chunks[0].readInt32LE(0);
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE_BYTES) {
        throw new WireProtocolError(`Invalid message length ${length}`);
      }
      if (this.buffered < length) break;
      const all = this.join();
      messages.push(all.subarray(0, length));
      this.chunks = length < all.length ? [all.subarray(length)] : [];
      this.buffered -= length;
    }
    return messages;
  }

  private join(): Buffer {
    const all =
      this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [all];
    return all;
  }
}

export function parseRequest(message: Buffer): Request {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(message, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(message, requestId);
  throw new WireProtocolError(`Unsupported opCode ${opCode}`);
}

function parseOpMsg(message: Buffer, requestId: number): Request {
  const flags = message.readUInt32LE(HEADER_SIZE);
  if ((flags & 0xffff & ~KNOWN_REQUIRED_BITS) !== 0) {
    throw new WireProtocolError(`Unknown required OP_MSG flags ${flags}`);
  }
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_SIZE + 4;
  let body: BsonDocument | undefined;
  const sequences: [string, BsonDocument[]][] = [];
  while (offset < end) {
    const kind = message[offset++];
    if (kind === 0) {
      if (body) throw new WireProtocolError('OP_MSG with two body sections');
      const size = documentSize(message, offset, end);
      body = BSON.deserialize(message.subarray(offset, offset + size), EXACT);
      offset += size;
    } else if (kind === 1) {
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new WireProtocolError('Bad document sequence size');
      const nameEnd = message.indexOf(0, offset + 4);
      if (nameEnd < 0 || nameEnd >= sectionEnd)
        throw new WireProtocolError('Bad document sequence name');
      const identifier = message.toString('utf8', offset + 4, nameEnd);
      const documents: BsonDocument[] = [];
      for (let at = nameEnd + 1; at < sectionEnd;) {
        const docSize = documentSize(message, at, sectionEnd);
        documents.push(BSON.deserialize(message.subarray(at, at + docSize), EXACT));
        at += docSize;
      }
      sequences.push([identifier, documents]);
      offset = sectionEnd;
    } else {
      throw new WireProtocolError(`Unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new WireProtocolError('OP_MSG without a body section');
  for (const [identifier, documents] of sequences) body[identifier] = documents;
  return { kind: 'msg', requestId, moreToCome: (flags & MORE_TO_COME) !== 0, command: body };
}

function parseOpQuery(message: Buffer, requestId: number): Request {
  const nameStart = HEADER_SIZE + 4;
  const nameEnd = message.indexOf(0, nameStart);
  if (nameEnd < 0) throw new WireProtocolError('OP_QUERY without a collection name');
  const namespace = message.toString('utf8', nameStart, nameEnd);
  const queryStart = nameEnd + 1 + 8;
  const size = documentSize(message, queryStart, message.length);
  const query = BSON.deserialize(message.subarray(queryStart, queryStart + size), EXACT);
  // A command through OP_QUERY may come wrapped: { $query: { … }, $readPreference: … }.
  const command =
    typeof query.$query === 'object' && query.$query !== null
      ? (query.$query as BsonDocument)
      : query;
  const database = namespace.slice(0, namespace.indexOf('.'));
  return { kind: 'query', requestId, database, command: { ...command, $db: database } };
}

function documentSize(message: Buffer, offset: number, end: number): number {
  if (offset + 5 > end) throw new WireProtocolError('Truncated BSON document');
  const size = message.readInt32LE(offset);
  if (size < 5 || offset + size > end)
    throw new WireProtocolError(`Bad BSON document size ${size}`);
  return size;
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const buffer = Buffer.alloc(HEADER_SIZE);
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(requestId, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
  return buffer;
}

/** OP_MSG reply: flags 0 (never moreToCome: the stand-in does not stream), one body section. */
export function opMsgReply(requestId: number, responseTo: number, reply: BsonDocument): Buffer {
  const body = BSON.serialize(reply);
  const length = HEADER_SIZE + 4 + 1 + body.length;
  const prefix = Buffer.alloc(5);
  return Buffer.concat([header(length, requestId, responseTo, OP_MSG), prefix, body]);
}

/** OP_REPLY to a legacy OP_QUERY handshake: no cursor, one document. */
export function opReply(requestId: number, responseTo: number, reply: BsonDocument): Buffer {
  const body = BSON.serialize(reply);
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(0, 0); // responseFlags
  fields.writeBigInt64LE(0n, 4); // cursorID
  fields.writeInt32LE(0, 12); // startingFrom
  fields.writeInt32LE(1, 16); // numberReturned
  const length = HEADER_SIZE + fields.length + body.length;
  return Buffer.concat([header(length, requestId, responseTo, OP_REPLY), fields, body]);
}
