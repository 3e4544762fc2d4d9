import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError, ValidationFailed } from '../shared/errors';
import { header, httpRequest, requestIdOf } from './http-request';

const QUERY_KEY_NAMES = ['api_key', 'apikey', 'key', 'token', 'access_token'];
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * First on every request: gives it a request id (the caller's `X-Request-Id` if sane), refuses a
 * key in the query string (without echoing it) and a body that is not JSON.
 */
@Injectable()
export class RequestGuard implements CanActivate {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  canActivate(context: ExecutionContext): boolean {
    const request = httpRequest(context);
    const requestId = requestIdOf(request);
    this.adapterHost.httpAdapter.setHeader(
      context.switchToHttp().getResponse(),
      'X-Request-Id',
      requestId,
    );

    const query = (request.query ?? {}) as Record<string, unknown>;
    const leaked = QUERY_KEY_NAMES.find((name) =>
      Object.prototype.hasOwnProperty.call(query, name),
    );
    if (leaked !== undefined) {
      throw new ValidationFailed(
        'API keys must not be sent in the query string; use the Authorization header',
        [{ field: leaked, message: 'credentials are not accepted in the query string' }],
      );
    }
    if (METHODS_WITH_BODY.has(request.method) && hasBody(request.headers)) {
      const type = header(request, 'content-type') ?? '';
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
