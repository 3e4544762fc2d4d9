import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomIds } from '../shared/ids';

/** How long a connection is kept after the answer, to read what the client is still sending. */
const LINGER_MS = 5_000;

const answered = new WeakSet<Duplex>();

/**
 * Node's HTTP server's `clientError` handler, on Express and on Fastify alike: for a request
 * that never reaches the app (headers over Node's 16 KiB, a request that is not HTTP, a request
 * that took too long) it answers with the API's error shape instead of Node's bare status line
 * (Fastify's own body), and closes the connection cleanly.
 *
 * Node writes its answer and destroys the socket at once. A client still sending (the rest of a
 * 70 KB header, a body) then gets a reset, and most clients drop the answer with it. Here the
 * answer ends the connection from our side only (`Connection: close`, then FIN), and whatever
 * the client still sends is read and dropped until it closes its side too, or `LINGER_MS`
 * passes. Node's parser reports each later chunk as a new error; those are ignored.
 *
 * Bad bytes after a good request (a body sent without a length) find that request still being
 * answered. Node would write its 400 ahead of that answer, which then never arrives, though the
 * request took effect; here the answer goes out and the connection closes after it.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (answered.has(socket)) return;
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  answered.add(socket);
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (inFlight) {
    inFlight.once('finish', () => close(socket));
    return;
  }
  const status = statusFor(error.code);
  const body = JSON.stringify({ ...ANSWERS[status], requestId: randomIds.uuid() });
  close(
    socket,
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

/** Ends our side (after `answer`), reads on until the client ends its side, then closes. */
function close(socket: Duplex, answer?: string): void {
  if (answer === undefined) socket.end();
  else socket.end(answer);
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
}

type Status = 400 | 408 | 431;

const ANSWERS: Record<Status, { error: string; code: string }> = {
  400: { error: 'Malformed HTTP request', code: 'VALIDATION_FAILED' },
  408: { error: 'Request not received in time', code: 'REQUEST_TIMEOUT' },
  431: { error: 'Request headers exceed the size limit', code: 'HEADERS_TOO_LARGE' },
};

function statusFor(code: string | undefined): Status {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}
