import { redactKeys } from './key-redaction';

/**
 * Every error the application raises on purpose carries a stable `code` and a `kind`.
 * The kind decides the HTTP status in exactly one place (the global exception filter);
 * nothing else maps errors to HTTP.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface ValidationDetail {
  readonly field: string;
  readonly message: string;
}

/**
 * Its message and every detail (field and message) have any key in them redacted when the error
 * is made, so no path that shows an error (HTTP response, log line, CLI) can echo a key that
 * came in as input: messages quote input (`'…' is not a valid IP`, `property … should not
 * exist`).
 */
export class DomainError extends Error {
  readonly details?: readonly ValidationDetail[];

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    details?: readonly ValidationDetail[],
  ) {
    super(redactKeys(message));
    this.name = new.target.name;
    if (details) this.details = details.map(redactDetail);
  }
}

function redactDetail(detail: ValidationDetail): ValidationDetail {
  const field = redactKeys(detail.field);
  const message = redactKeys(detail.message);
  return field === detail.field && message === detail.message ? detail : { field, message };
}

export class ValidationFailed extends DomainError {
  constructor(message: string, details?: readonly ValidationDetail[]) {
    super('validation', 'VALIDATION_FAILED', message, details);
  }
}

export class NotFound extends DomainError {
  constructor(message: string) {
    super('not_found', 'NOT_FOUND', message);
  }
}

export class Conflict extends DomainError {
  constructor(code: string, message: string) {
    super('conflict', code, message);
  }
}

export class Forbidden extends DomainError {
  constructor(message: string) {
    super('forbidden', 'FORBIDDEN', message);
  }
}

/** Always the same message whatever the cause, so a caller learns nothing from a failed attempt. */
export class Unauthorized extends DomainError {
  static readonly MESSAGE = 'Invalid or missing API key';
  constructor() {
    super('unauthorized', 'UNAUTHORIZED', Unauthorized.MESSAGE);
  }
}

export class RateLimited extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', 'RATE_LIMITED', 'Rate limit exceeded');
  }
}

/**
 * A command's events were appended, but this instance's read models did not show them within the
 * write path's wait (see `ReadModelSync`). The append stands (events are never taken back), so
 * the caller must not assume the command failed: a read here may still miss it for a moment, and
 * retrying an idempotent command is safe. 503, because the instance is behind, not the request
 * wrong.
 */
export class ReadModelLagging extends DomainError {
  static readonly MESSAGE =
    'The change was recorded but is not yet visible to reads on this instance; ' +
    'retrying an idempotent request is safe.';
  constructor() {
    super('unavailable', 'READ_MODEL_LAGGING', ReadModelLagging.MESSAGE);
  }
}

/** The value, or 404 `<what> not found`. */
export function mustExist<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotFound(`${what} not found`);
  return value;
}
