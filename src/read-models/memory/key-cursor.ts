import { ValidationFailed } from '../../shared/errors';

interface CursorPosition {
  readonly createdAt: string;
  readonly keyId: string;
}

/** Listing order: newest first, ties broken by id, so that a cursor is a stable position. */
export function newestFirst(a: CursorPosition, b: CursorPosition): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.keyId])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      parsed.every((p) => typeof p === 'string')
    ) {
      return { createdAt: parsed[0], keyId: parsed[1] };
    }
  } catch {
    // fall through to the validation error below
  }
  throw new ValidationFailed('Invalid cursor', [
    { field: 'cursor', message: 'cursor is not one this API returned' },
  ]);
}
