import { NotFound } from '../../shared/errors';
import type { KeyRecord } from '../read-models/key-directory.port';

/** A key together with its plaintext: returned once, by create and rotate, never stored. */
export interface IssuedApiKey {
  readonly record: KeyRecord;
  readonly plaintext: string;
}

export function actorLabel(context: { actor: { type: string; id: string } }): string {
  return `${context.actor.type}:${context.actor.id}`;
}

export function mustExist<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotFound(`${what} not found`);
  return value;
}
