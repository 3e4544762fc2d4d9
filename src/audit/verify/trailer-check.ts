import { trailerStatement } from '../export/export-format';
import * as f from './json-fields';
import type { TrustedKeys } from './trusted-keys';
import { problem } from './verification-failure';

/**
 * The trailer must count what the export holds, carry the SHA-256 of every byte before it, and
 * be signed by a trusted key: what catches a line removed where no chain or proof would (the
 * last unsealed event of a stream, say). Returns the signing key id.
 */
export function checkTrailer(
  fields: f.Fields,
  held: { readonly events: number; readonly checkpoints: number; readonly unsealedEvents: number },
  sha256: string,
  tenant: string,
  keys: TrustedKeys,
): string {
  const what = 'the trailer';
  const counts = {
    events: f.count(fields, 'events', what),
    checkpoints: f.count(fields, 'checkpoints', what),
    unsealedEvents: f.count(fields, 'unsealedEvents', what),
    sha256: f.hex64(fields, 'sha256', what),
  };
  for (const name of ['events', 'checkpoints', 'unsealedEvents'] as const) {
    if (counts[name] !== held[name]) {
      problem(
        `it counts ${counts[name]} ${name}, but the export holds ${held[name]}: lines were removed or added`,
      );
    }
  }
  if (sha256 !== counts.sha256) {
    problem('the SHA-256 of the export does not match: the file was changed after it was written');
  }
  const keyId = f.text(fields, 'keyId', what);
  const signature = f.text(fields, 'signature', what);
  const signatureProblem = keys.check(keyId, trailerStatement(tenant, counts, keyId), signature);
  if (signatureProblem) problem(signatureProblem);
  return keyId;
}
