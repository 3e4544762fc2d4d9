import { randomUUID } from 'node:crypto';

/** Injected wherever ids are made, so that tests are deterministic. */
export interface IdGenerator {
  uuid(): string;
}

export const ID_GENERATOR = Symbol('IdGenerator');

export const randomIds: IdGenerator = { uuid: () => randomUUID() };

export const UUID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
