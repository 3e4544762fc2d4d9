import { createReadStream, statSync } from 'node:fs';
import { ExportVerifier } from './export-verifier';
import { ndjsonLines } from './ndjson-lines';
import type { TrustedKeys } from './trusted-keys';
import { LineProblem, VerificationFailure } from './verification-failure';
import type { VerificationReport } from './verification-report';

export type VerificationOutcome =
  | { readonly ok: true; readonly report: VerificationReport }
  | { readonly ok: false; readonly failure: VerificationFailure };

/**
 * Verifies an export given as a byte stream. Never throws for anything in the export: every
 * problem, down to a file that is not text at all, comes back as the first failure.
 */
export async function verifyExport(
  chunks: AsyncIterable<Buffer | string>,
  keys: TrustedKeys,
  onBytes?: (bytesRead: number) => void,
): Promise<VerificationOutcome> {
  const verifier = new ExportVerifier(keys);
  let line = 0;
  try {
    let cutShort = false;
    for await (const raw of ndjsonLines(chunks, onBytes)) {
      line++;
      if (!raw.complete) {
        cutShort = true;
        break;
      }
      verifier.accept(raw.bytes);
    }
    return { ok: true, report: verifier.finish(cutShort) };
  } catch (error) {
    if (error instanceof VerificationFailure) return { ok: false, failure: error };
    if (error instanceof LineProblem)
      return { ok: false, failure: new VerificationFailure(line + 1, null, error.message) };
    throw error;
  }
}

/** Verifies the export in `file`; file-system errors (missing file, …) are thrown as they come. */
export async function verifyExportFile(
  file: string,
  keys: TrustedKeys,
  onProgress?: (bytesRead: number, totalBytes: number) => void,
): Promise<VerificationOutcome> {
  const total = statSync(file).size;
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
  return verifyExport(stream as AsyncIterable<Buffer>, keys, (read) => onProgress?.(read, total));
}
