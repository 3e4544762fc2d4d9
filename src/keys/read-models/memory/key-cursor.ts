import { ValidationFailed } from '../../../shared/errors';

interface CursorPosition {
  readonly createdAt: string;
  readonly keyId: string;
}

/** Listing order: newest first, ties broken by id, so that a cursor is a stable position. */
export function newestFirst(a: CursorPosition, b: CursorPosition): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0;
}

/**
 * A listing position whose `createdAt` is held as epoch ms where its text is what
 * `toISOString` gives (`canonicalIsoMillis`): such texts sort as their instants do, so keys
 * compare without a string each. `createdAt` is the text, needed only where `createdAtMs` is NaN.
 */
export interface TimedPosition {
  readonly createdAtMs: number;
  readonly createdAt?: string;
  readonly keyId: string;
}

/** `newestFirst` for timed positions. */
export function newestFirstTimed(a: TimedPosition, b: TimedPosition): number {
  if (Number.isNaN(a.createdAtMs) || Number.isNaN(b.createdAtMs)) {
    const [textA, textB] = [createdAtText(a), createdAtText(b)];
    if (textA !== textB) return textA < textB ? 1 : -1;
  } else if (a.createdAtMs !== b.createdAtMs) {
    return a.createdAtMs < b.createdAtMs ? 1 : -1;
  }
  return a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0;
}

function createdAtText(position: TimedPosition): string {
  return position.createdAt ?? new Date(position.createdAtMs).toISOString();
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
