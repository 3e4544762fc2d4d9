import { randomBytes } from 'node:crypto';

/**
 * Where the secret of every key comes from (SPEC §3: a CSPRNG), injected like the clock and the
 * ids so that tests are deterministic. `key-format` turns the bytes into a key's secret.
 */
export interface SecretGenerator {
  /** `length` bytes nobody can predict, each uniform over 0–255; a new array on every call. */
  randomBytes(length: number): Uint8Array;
}

export const SECRET_GENERATOR = Symbol('SecretGenerator');

export const randomSecrets: SecretGenerator = { randomBytes: (length) => randomBytes(length) };
