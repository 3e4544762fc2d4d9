import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError, RateLimited, type ErrorKind, type ValidationDetail } from '../shared/errors';
import { redactKeys } from '../shared/key-redaction';
import { requestIdOf, type PlatformNeutralRequest } from './http-request';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

const CODE_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** What the request guard says too: Fastify refuses a body of a type it has no parser for. */
const MEDIA_TYPE_MESSAGE = 'Content-Type must be application/json';

interface ErrorBody {
  error: string;
  code: string;
  requestId: string;
  details?: readonly ValidationDetail[];
}

/** The one place where errors become HTTP responses: `{ error, code, requestId, details? }`. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const http = host.switchToHttp();
    const request = http.getRequest<PlatformNeutralRequest>();
    const response: unknown = http.getResponse();
    const requestId = requestIdOf(request);
    const { status, body } = this.describe(exception, requestId);
    if (exception instanceof RateLimited) {
      httpAdapter.setHeader(response, 'Retry-After', String(exception.retryAfterSeconds));
    }
    httpAdapter.setHeader(response, 'X-Request-Id', requestId);
    httpAdapter.reply(response, body, status);
  }

  private describe(exception: unknown, requestId: string): { status: number; body: ErrorBody } {
    if (exception instanceof DomainError) {
      // Its message and details are free of keys: DomainError redacts them when it is made.
      const body: ErrorBody = { error: exception.message, code: exception.code, requestId };
      if (exception.details) body.details = exception.details;
      return { status: STATUS_BY_KIND[exception.kind], body };
    }
    const parserError = bodyParserError(exception);
    if (parserError)
      return { status: parserError.status, body: { ...parserError.body, requestId } };
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      // Raised by the framework, not by Keyledger: its message may quote the URL or the body
      // (and so a key), so only a fixed message per status goes out.
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? 'ERROR';
      return { status, body: { error: frameworkMessage(status, exception), code, requestId } };
    }
    // Log the cause for operators; the client learns nothing about internals. The cause may
    // quote input (a library's message, a stack with a value in it): keys are redacted.
    this.logger.error(
      redactKeys(`Unhandled error (request ${requestId}): ${describeError(exception)}`),
    );
    return { status: 500, body: { error: 'Internal server error', code: 'INTERNAL', requestId } };
  }
}

/** body-parser (Express) and Fastify's parser report errors with a status and a type or code. */
function bodyParserError(
  exception: unknown,
): { status: number; body: Omit<ErrorBody, 'requestId'> } | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const e = exception as { type?: unknown; code?: unknown; status?: unknown; statusCode?: unknown };
  const kind = typeof e.type === 'string' ? e.type : typeof e.code === 'string' ? e.code : '';
  if (kind === 'entity.too.large' || kind === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      body: { error: 'Request body exceeds the size limit', code: 'PAYLOAD_TOO_LARGE' },
    };
  }
  if (
    kind === 'entity.parse.failed' ||
    kind === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    kind === 'FST_ERR_CTP_EMPTY_JSON_BODY'
  ) {
    return {
      status: 400,
      body: { error: 'Request body is not valid JSON', code: 'VALIDATION_FAILED' },
    };
  }
  if (kind === 'encoding.unsupported' || kind === 'charset.unsupported') {
    return {
      status: 415,
      body: { error: 'Unsupported request body encoding', code: 'UNSUPPORTED_MEDIA_TYPE' },
    };
  }
  if (kind === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, body: { error: MEDIA_TYPE_MESSAGE, code: 'UNSUPPORTED_MEDIA_TYPE' } };
  }
  return undefined;
}

const FRAMEWORK_MESSAGES: Record<number, string> = {
  404: 'No such route',
  405: 'Method not allowed',
  413: 'Request body exceeds the size limit',
  415: MEDIA_TYPE_MESSAGE,
};

function frameworkMessage(status: number, exception: HttpException): string {
  if (status === 400) {
    return exception.cause instanceof SyntaxError || /JSON/.test(exception.message)
      ? 'Request body is not valid JSON'
      : 'Bad request';
  }
  return FRAMEWORK_MESSAGES[status] ?? 'Request refused';
}

function describeError(exception: unknown): string {
  if (exception instanceof Error)
    return exception.stack ?? `${exception.name}: ${exception.message}`;
  return String(exception);
}
