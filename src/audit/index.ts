/** What the audit feature offers the composition roots (the CLI); the features never need it. */
export { AuditModule } from './audit.module';
export { exportedEvent, type TrailerLine } from './export/export-format';
export { TenantAuditExport } from './export/tenant-audit-export';
export { replayKey } from './replay/key-replay';
export { CheckpointSealer } from './sealer/checkpoint-sealer';
export { TrustedKeys } from './verify/trusted-keys';
export type { VerificationReport } from './verify/verification-report';
export { verifyExportFile } from './verify/verify-export';
