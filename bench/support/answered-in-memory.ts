import type { VerifyResult } from '../../src/keys/verification/verify-key';

/** The verifier's answer when its index is the in-memory directory: always synchronous. */
export function answeredInMemory(result: VerifyResult | Promise<VerifyResult>): VerifyResult {
  if (result instanceof Promise) throw new Error('expected an in-memory verification index');
  return result;
}
