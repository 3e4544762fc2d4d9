import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, auditSigningKeyFile, type AppConfig } from '../config/config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { CLOCK, type Clock } from '../shared/clock';
import { ID_GENERATOR, type IdGenerator } from '../shared/ids';
import { TenantAuditExport } from './export/tenant-audit-export';
import { AuditController } from './http/audit.controller';
import { TenantAuditLog } from './query/tenant-audit-log';
import { BACKGROUND_SEALING, BackgroundSealer } from './sealer/background-sealer';
import { CheckpointSealer } from './sealer/checkpoint-sealer';
import { AUDIT_SIGNER, type AuditSigner } from './signing/audit-signer';
import { loadOrCreateSigningKey } from './signing/signing-key-file';

/**
 * The audit trail: its queries and export, and the sealer that appends signed checkpoints over
 * the event stream (in the background in a server, on demand from the CLI).
 */
@Module({})
export class AuditModule {
  static forRoot(options: { backgroundSealing?: boolean }): DynamicModule {
    return {
      module: AuditModule,
      global: true,
      controllers: [AuditController],
      providers: [
        { provide: AUDIT_SIGNER, inject: [APP_CONFIG], useFactory: openAuditSigner },
        {
          provide: CheckpointSealer,
          inject: [EVENT_STORE, AUDIT_SIGNER, CLOCK, ID_GENERATOR],
          useFactory: (store: EventStore, signer: AuditSigner, clock: Clock, ids: IdGenerator) =>
            new CheckpointSealer(store, signer, clock, ids),
        },
        {
          provide: TenantAuditExport,
          inject: [EVENT_STORE, AUDIT_SIGNER, CLOCK],
          useFactory: (store: EventStore, signer: AuditSigner, clock: Clock) =>
            new TenantAuditExport(store, signer, clock),
        },
        { provide: BACKGROUND_SEALING, useValue: options.backgroundSealing ?? null },
        BackgroundSealer,
        TenantAuditLog,
      ],
      exports: [CheckpointSealer, TenantAuditExport, TenantAuditLog],
    };
  }
}

/** Loads (or on first start generates) the signing key, and says which public key it has. */
function openAuditSigner(config: AppConfig): AuditSigner {
  const loaded = loadOrCreateSigningKey(auditSigningKeyFile(config));
  const { keyId, publicKey } = loaded.signer;
  const origin =
    loaded.file === null
      ? 'an ephemeral key: DATA_DIR is :memory:'
      : loaded.created
        ? `generated now in ${loaded.file}`
        : `from ${loaded.file}`;
  new Logger('Audit').log(
    `Checkpoints are signed with Ed25519 key ${keyId} (${origin}); public key ${publicKey.toString('base64')}` +
      (loaded.publicKeyFile ? `, also in ${loaded.publicKeyFile}` : ''),
  );
  return loaded.signer;
}
