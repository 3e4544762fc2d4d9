import { createWriteStream, readFileSync, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { TrailerLine } from '../audit';
import { TenantAuditExport } from '../audit';
import { CheckpointSealer } from '../audit';
import { TrustedKeys } from '../audit';
import { verifyExportFile } from '../audit';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { TENANT_DIRECTORY, type TenantDirectory } from '../tenants';
import { NotFound } from '../shared/errors';
import { events, megabytes, Progress, type ProgressSink } from './progress';
import { describeVerification } from './verification-report-text';

/** What the audit commands need from the CLI around them. */
export interface AuditCli {
  write(text: string): void;
  readonly stderr: ProgressSink;
  withApp<T>(work: (app: INestApplicationContext) => Promise<T>): Promise<T>;
}

/** Exit codes of `audit verify`: 1 the export fails verification, 2 it could not be checked. */
export const EXIT_VERIFICATION_FAILED = 1;
export const EXIT_CANNOT_VERIFY = 2;

export function isoInstant(value: string): Date {
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at.getTime())) {
    throw new InvalidArgumentError('expected an ISO 8601 time, e.g. 2026-03-01T12:00:00Z');
  }
  return at;
}

export function registerAuditCommands(program: Command, cli: AuditCli): void {
  const audit = program
    .command('audit')
    .description('the audit trail: export, verify offline, seal');

  audit
    .command('export')
    .description("write a tenant's verifiable audit export (NDJSON)")
    .requiredOption('--tenant <tenantId>')
    .requiredOption('--out <file>', 'where to write the export')
    .option('--from <time>', 'open the checkpoints with events from this instant on', isoInstant)
    .option('--to <time>', 'open the checkpoints with events before this instant', isoInstant)
    .option('--key <keyId>', "only this key's events (completeness then is not proven)")
    .option('--type <eventType>', 'only events of this type (completeness then is not proven)')
    .action(
      async (options: {
        tenant: string;
        out: string;
        from?: Date;
        to?: Date;
        key?: string;
        type?: string;
      }) => {
        const request = {
          tenantId: options.tenant,
          from: options.from,
          to: options.to,
          keyId: options.key,
          type: options.type,
        };
        const progress = new Progress(cli.stderr, 'Exporting', events);
        const draft = `${options.out}.partial`;
        const trailer = await cli.withApp(async (app): Promise<TrailerLine> => {
          let written: TrailerLine | undefined;
          if (!(await app.get<TenantDirectory>(TENANT_DIRECTORY).find(options.tenant)))
            throw new NotFound('Tenant not found');
          const chunks = app.get(TenantAuditExport).chunks(request, {
            onProgress: (scanned) => progress.update(scanned),
            onTrailer: (trailer) => (written = trailer),
          });
          try {
            await pipeline(Readable.from(chunks), createWriteStream(draft));
            renameSync(draft, options.out);
          } finally {
            rmSync(draft, { force: true });
            progress.done();
          }
          if (!written) throw new Error('the export ended without its trailer');
          return written;
        });
        cli.write(
          `Exported ${trailer.events} events of tenant ${options.tenant} (${trailer.unsealedEvents} unsealed) and ${trailer.checkpoints} checkpoints to ${options.out}; signed by key ${trailer.keyId}.\n`,
        );
      },
    );

  audit
    .command('verify <file>')
    .description('check an export offline: chains, proofs, checkpoints, signatures')
    .requiredOption(
      '--public-key <file>',
      'trusted key: audit-signing-key.pub.pem, or the JSON of GET /v1/audit/public-keys',
    )
    .option(
      '--threads <n>',
      'worker threads that parse and hash lines (0: none, all on one thread); default: one per CPU',
      threadCount,
    )
    .action(async (file: string, options: { publicKey: string; threads?: number }) => {
      const stop = (code: number, message: string): never => {
        cli.stderr.write(`keyledger: ${message}\n`);
        throw new CommanderError(code, 'keyledger.audit.verify', message);
      };
      let keys: TrustedKeys;
      try {
        keys = TrustedKeys.parse(readFileSync(options.publicKey, 'utf8'));
      } catch (error) {
        return stop(
          EXIT_CANNOT_VERIFY,
          `cannot use the public key ${options.publicKey}: ${reason(error)}`,
        );
      }
      const progress = new Progress(cli.stderr, 'Verifying', megabytes);
      let outcome;
      try {
        outcome = await verifyExportFile(
          file,
          keys,
          (read, total) => progress.update(read, total),
          {
            threads: options.threads,
          },
        );
      } catch (error) {
        return stop(EXIT_CANNOT_VERIFY, `cannot read ${file}: ${reason(error)}`);
      } finally {
        progress.done();
      }
      if (!outcome.ok)
        return stop(EXIT_VERIFICATION_FAILED, `verification FAILED at ${outcome.failure.message}`);
      cli.write(describeVerification(outcome.report));
    });

  audit
    .command('seal')
    .description('seal every unsealed event into checkpoints now')
    .action(async () => {
      const sealed = await cli.withApp(async (app) =>
        app.get(CheckpointSealer).sealAll(app.get<AppConfig>(APP_CONFIG).audit.sealEveryEvents),
      );
      if (sealed.length === 0) {
        cli.write('Nothing to seal: every event is covered by a checkpoint.\n');
        return;
      }
      const covered = sealed.reduce((sum, c) => sum + c.treeSize, 0);
      const first = sealed[0].sequence;
      const last = sealed[sealed.length - 1].sequence;
      const which = first === last ? `checkpoint ${first}` : `checkpoints ${first} to ${last}`;
      cli.write(`Sealed ${which} over ${covered} events.\n`);
    });
}

function threadCount(value: string): number {
  if (!/^\d{1,3}$/.test(value))
    throw new InvalidArgumentError('expected a number of threads, 0 or more');
  return Number(value);
}

/** A plain message for a file-system or key error; never a stack trace. */
function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file';
  if (e?.code === 'EISDIR') return 'it is a directory';
  if (e?.code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(error);
}
