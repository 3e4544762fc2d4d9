import type { VerificationReport } from '../audit';

const n = (value: number) => value.toLocaleString('en-US');
const plural = (value: number, one: string, many = `${one}s`) =>
  `${n(value)} ${value === 1 ? one : many}`;

/** What `keyledger audit verify` says when an export checks out: what was proven, and what not. */
export function describeVerification(report: VerificationReport): string {
  const lines = [
    `Verified: the audit export of tenant ${report.tenant}, written ${report.exportedAt}.`,
  ];
  lines.push(
    `  ${plural(report.events, 'event')} in ${plural(report.streams, 'stream')}: every hash recomputed, every chain link intact.`,
  );
  if (report.streamsStartingLater > 0) {
    lines.push(
      `  ${plural(report.streamsStartingLater, 'stream')} start after revision 0: their earlier events are outside the export window.`,
    );
  }
  if (report.checkpoints > 0) {
    lines.push(
      `  ${plural(report.checkpoints, 'checkpoint')} (0 to ${report.lastCheckpoint}): signatures valid (key ${report.keyIds.join(', ')}), each linked to the one before, ranges contiguous.`,
    );
  }
  lines.push(
    `  ${plural(report.sealedEvents, 'sealed event')}: each inclusion proof leads to its checkpoint's signed Merkle root.`,
  );
  const { filter, window } = report;
  if (filter.keyId !== null || filter.type !== null) {
    const by = [filter.keyId && `key ${filter.keyId}`, filter.type && `type ${filter.type}`]
      .filter(Boolean)
      .join(' and ');
    lines.push(`  Filtered by ${by}: completeness is not proven for a filtered export.`);
  } else if (report.completeCheckpoints > 0) {
    const span =
      window.firstCheckpoint === window.lastCheckpoint
        ? `checkpoint ${window.firstCheckpoint}`
        : `checkpoints ${window.firstCheckpoint} to ${window.lastCheckpoint}`;
    lines.push(
      `  Complete: no event of the tenant sealed by ${span} is missing (tenant roots verified).`,
    );
  }
  if (report.unsealedEvents > 0) {
    lines.push(
      `  ${plural(report.unsealedEvents, 'event')} after the last checkpoint ${report.unsealedEvents === 1 ? 'is' : 'are'} UNSEALED: chained and in the signed export, but no signed checkpoint vouches for them yet.`,
    );
  }
  lines.push(
    '  The trailer signature and SHA-256 match: the file is exactly as the server wrote it.',
  );
  return `${lines.join('\n')}\n`;
}
