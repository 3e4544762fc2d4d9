import type { ExecutionContext } from '@nestjs/common';
import type { AuthenticatableRootKey } from '../read-models/root-key-directory.port';
import { randomIds } from '../shared/ids';

/** What Keyledger keeps about a request while it is handled, whatever the HTTP platform. */
export interface RequestState {
  requestId: string;
  principal?: AuthenticatableRootKey;
}

/**
 * The part of a request that Express and Fastify share, so that guards and decorators need no
 * platform types: headers, the client address, the parsed query, the route parameters and body.
 */
export interface PlatformNeutralRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly ip?: string;
  readonly query?: unknown;
  readonly params?: Readonly<Record<string, string | undefined>>;
  /** The parsed JSON body, where the route has one. */
  readonly body?: unknown;
  keyledger?: RequestState;
}

export function httpRequest(context: ExecutionContext): PlatformNeutralRequest {
  return context.switchToHttp().getRequest<PlatformNeutralRequest>();
}

export function header(request: PlatformNeutralRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the caller's `X-Request-Id` when it is sane, else a fresh UUID; fixed once. */
export function requestIdOf(request: PlatformNeutralRequest): string {
  if (request.keyledger) return request.keyledger.requestId;
  const offered = header(request, 'x-request-id');
  const requestId = offered && REQUEST_ID.test(offered) ? offered : randomIds.uuid();
  request.keyledger = { requestId };
  return requestId;
}
