import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError } from '../shared/errors';
import { headerIn, httpRequest, httpResponse, startRequest } from './http-request';
import { refuseKeyInQuery } from './query-credentials';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * First on every request: gives it a request id (the caller's `X-Request-Id` if sane and not a
 * key), refuses a key in the query string (without echoing it) and a body that is not JSON.
 */
@Injectable()
export class RequestGuard implements CanActivate {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  canActivate(context: ExecutionContext): boolean {
    const request = httpRequest(context);
    const { headers } = request;
    const { requestId } = startRequest(request, headers);
    this.adapterHost.httpAdapter.setHeader(httpResponse(context), 'X-Request-Id', requestId);

    refuseKeyInQuery(request.url);
    if (METHODS_WITH_BODY.has(request.method) && hasBody(headers)) {
      const type = headerIn(headers, 'content-type') ?? '';
      if (!/^application\/json\s*(;|$)/i.test(type)) {
        throw new DomainError(
          'unsupported_media_type',
          'UNSUPPORTED_MEDIA_TYPE',
          'Content-Type must be application/json',
        );
      }
    }
    return true;
  }
}

function hasBody(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const length = headers['content-length'];
  if (headers['transfer-encoding'] !== undefined) return true;
  return length !== undefined && length !== '0';
}
