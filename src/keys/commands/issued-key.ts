import type { KeyRecord } from '../read-models/key-directory.port';

/** A key together with its plaintext: returned once, by create and rotate, never stored. */
export interface IssuedApiKey {
  readonly record: KeyRecord;
  readonly plaintext: string;
}
