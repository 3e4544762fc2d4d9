import { createHash } from 'node:crypto';
import type { AuditSigner } from '../signing/audit-signer';
import { trailerStatement, type ExportLine, type TrailerLine } from './export-format';

/** Collects lines, counts them and hashes every byte for the trailer. */
export class LineWriter {
  private readonly digest = createHash('sha256');
  private parts: string[] = [];
  pending = 0;
  private readonly counts = { events: 0, checkpoints: 0, unsealedEvents: 0 };

  write(line: ExportLine, counted?: 'checkpoint' | 'event' | 'unsealed'): void {
    const text = `${JSON.stringify(line)}\n`;
    this.digest.update(text, 'utf8');
    this.parts.push(text);
    this.pending += text.length;
    if (counted === 'checkpoint') this.counts.checkpoints++;
    if (counted === 'event' || counted === 'unsealed') this.counts.events++;
    if (counted === 'unsealed') this.counts.unsealedEvents++;
  }

  writeTrailer(tenant: string, signer: AuditSigner): TrailerLine {
    const counts = { ...this.counts, sha256: this.digest.digest('hex') };
    const signature = signer.sign(trailerStatement(tenant, counts, signer.keyId));
    const trailer: TrailerLine = { kind: 'trailer', ...counts, keyId: signer.keyId, signature };
    this.parts.push(`${JSON.stringify(trailer)}\n`);
    return trailer;
  }

  take(): string {
    const chunk = this.parts.join('');
    this.parts = [];
    this.pending = 0;
    return chunk;
  }
}
