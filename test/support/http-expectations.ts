import { createHash } from 'node:crypto';
import type { Response } from 'supertest';

/** The API's error shape (SPEC §4); `details` only for 400. */
export interface ErrorBody {
  readonly error: string;
  readonly code: string;
  readonly requestId: string;
  readonly details?: readonly { readonly field: string; readonly message: string }[];
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Checks the status and the error shape, and returns the body for finer checks. */
export function expectError(res: Response, status: number, code: string): ErrorBody {
  if (res.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  }
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.body as ErrorBody;
  expect(body).toEqual({
    error: expect.any(String),
    code,
    requestId: expect.any(String),
    ...(body.details !== undefined ? { details: expect.any(Array) } : {}),
  });
  expect(body.error.length).toBeGreaterThan(0);
  expect(body.requestId.length).toBeGreaterThan(0);
  return body;
}

/** An error body with its request id removed: what must be identical between two failures. */
export function withoutRequestId(body: ErrorBody): Omit<ErrorBody, 'requestId'> {
  const { requestId: _requestId, ...rest } = body;
  return rest;
}

/** The fields named in a 400's `details`. */
export function detailFields(body: ErrorBody): string[] {
  return (body.details ?? []).map((detail) => detail.field);
}
