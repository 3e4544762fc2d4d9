import type { ExecutionContext } from '@nestjs/common';
import { randomIds } from '../shared/ids';
import { containsKey, redactKeys } from '../shared/key-redaction';

/** What Keyledger keeps about a request while it is handled, whatever the HTTP platform. */
export interface RequestState {
  requestId: string;
  /**
   * Set by the root-key guard (an `AuthenticatableRootKey`, read back by that feature's
   * decorators); present from the start so that every state has one shape.
   */
  principal?: unknown;
}

/**
 * The part of a request that Express and Fastify share, so that guards and decorators need no
 * platform types: headers, the client address, the parsed query, the route parameters and body.
 */
export interface PlatformNeutralRequest {
  readonly method: string;
  /** The request target as received: path and query string. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly ip?: string;
  readonly query?: unknown;
  readonly params?: Readonly<Record<string, string | undefined>>;
  /** The parsed JSON body, where the route has one. */
  readonly body?: unknown;
  keyledger?: RequestState;
}

/**
 * An HTTP context's arguments are `[request, response, next]`. Read by index: `switchToHttp()`
 * allocates three closures and assigns them onto the context on every call.
 */
export function httpRequest(context: ExecutionContext): PlatformNeutralRequest {
  return context.getArgByIndex<PlatformNeutralRequest>(0);
}

/** The platform's response object (Express `Response`, Fastify `FastifyReply`). */
export function httpResponse(context: ExecutionContext): unknown {
  return context.getArgByIndex<unknown>(1);
}

type Headers = PlatformNeutralRequest['headers'];

export function header(request: PlatformNeutralRequest, name: string): string | undefined {
  return headerIn(request.headers, name);
}

/** For a caller reading several headers: `request.headers` is a getter on Node's requests. */
export function headerIn(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Longest user agent recorded in an event; real ones are well under it. */
const USER_AGENT_MAX_LENGTH = 256;

/**
 * The caller's `User-Agent` as events record it: keys redacted (first, so that a key cut by the
 * truncation cannot slip through), then cut to `USER_AGENT_MAX_LENGTH`.
 */
export function recordableUserAgent(request: PlatformNeutralRequest): string | undefined {
  const userAgent = header(request, 'user-agent');
  return userAgent === undefined
    ? undefined
    : redactKeys(userAgent).slice(0, USER_AGENT_MAX_LENGTH);
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A caller's `X-Request-Id` worth keeping: a short token of safe characters that is not a key.
 * It is echoed and recorded in every event the request appends, so a key sent here by mistake
 * would be stored for good; a refused one is replaced, never echoed.
 */
function isAcceptableRequestId(offered: string | undefined): offered is string {
  return offered !== undefined && REQUEST_ID.test(offered) && !containsKey(offered);
}

/** The request's id: the caller's `X-Request-Id` when it is sane, else a fresh UUID; fixed once. */
export function requestIdOf(request: PlatformNeutralRequest): string {
  return request.keyledger ? request.keyledger.requestId : startRequest(request).requestId;
}

/**
 * Gives a request its state, id included; the first guard calls it, as nothing can have done so
 * before on a request that reaches a route (reading an absent property first is a slow lookup
 * through the request's whole prototype chain on Express).
 */
export function startRequest(
  request: PlatformNeutralRequest,
  headers: Headers = request.headers,
): RequestState {
  const offered = headerIn(headers, 'x-request-id');
  const state: RequestState = {
    requestId: isAcceptableRequestId(offered) ? offered : randomIds.uuid(),
    principal: undefined,
  };
  request.keyledger = state;
  return state;
}
