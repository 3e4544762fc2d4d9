import type { ExportFilter, ExportWindow } from '../export/export-format';

/** What a successful verification proved, for the CLI to put in words. */
export interface VerificationReport {
  readonly tenant: string;
  readonly exportedAt: string;
  readonly window: ExportWindow;
  readonly filter: ExportFilter;
  readonly events: number;
  readonly sealedEvents: number;
  /** After the last checkpoint: chained, but vouched for by no signed checkpoint yet. */
  readonly unsealedEvents: number;
  readonly streams: number;
  readonly streamsStartingLater: number;
  readonly checkpoints: number;
  readonly lastCheckpoint: number | null;
  readonly lastSealedPosition: string | null;
  /** Checkpoints whose tenant slice proved that none of the tenant's events is missing. */
  readonly completeCheckpoints: number;
  readonly keyIds: readonly string[];
}
