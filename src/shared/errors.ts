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

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: readonly ValidationDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
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

/** The value, or 404 `<what> not found`. */
export function mustExist<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotFound(`${what} not found`);
  return value;
}
