import type { ServerResponse } from 'node:http';
import { StreamableFile } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { jsonText } from './json-text';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Nest's Express adapter, writing the common answer itself: an object serialised as JSON, to a
 * request other than GET or HEAD. Express's `res.json()` and `res.send()` do much more on every
 * call (read the app's JSON settings, parse and re-format the Content-Type to add its charset,
 * look for an ETag function, check freshness, handle 204/205/304 and HEAD), none of which such
 * an answer needs; here it is `JSON.stringify` (no JSON settings are set; see `jsonText`), two
 * headers and `end()`, with the same bytes on the wire: about 30 µs less per verify request.
 * Everything else goes to Nest's own `reply`: GET and HEAD (freshness, no body), no body,
 * strings, files, errors, a type the handler chose, 204/205/304.
 */
export class LeanExpressAdapter extends ExpressAdapter {
  override reply(response: unknown, body: unknown, statusCode?: number): unknown {
    const res = response as ServerResponse & { req: { method: string } };
    const status = statusCode ?? res.statusCode;
    if (
      typeof body !== 'object' ||
      body === null ||
      body instanceof Error ||
      body instanceof StreamableFile ||
      status === 204 ||
      status === 205 ||
      status === 304 ||
      res.req.method === 'GET' ||
      res.req.method === 'HEAD' ||
      res.hasHeader('content-type')
    ) {
      return super.reply(response, body, statusCode);
    }
    const text = jsonText(body) as string | undefined;
    if (text === undefined) return super.reply(response, body, statusCode);
    res.statusCode = status;
    res.setHeader('Content-Type', JSON_CONTENT_TYPE);
    res.setHeader('Content-Length', Buffer.byteLength(text));
    return res.end(text);
  }

  /** What Express's `status()` does once it has checked the code, which Nest's always passes. */
  override status(response: unknown, statusCode: number): unknown {
    (response as ServerResponse).statusCode = statusCode;
    return response;
  }

  /** Node's own `setHeader`: Express's `set()` only adds a charset to a Content-Type. */
  override setHeader(response: unknown, name: string, value: string): unknown {
    // 'c' or 'C' first: X-Request-Id, as long, is set on every request.
    if ((name.charCodeAt(0) | 0x20) === 0x63 && name.toLowerCase() === 'content-type') {
      return super.setHeader(response, name, value);
    }
    return (response as ServerResponse).setHeader(name, value);
  }
}
