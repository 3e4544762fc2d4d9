import type { TenantBinding } from '../../../root-keys';
import type { ReportedUse } from './usage-batch';

/** A batch of uses reported by a caller after its requests finished (POST /v1/usage). */
export class RecordUsageCommand {
  constructor(
    readonly uses: readonly ReportedUse[],
    /** The tenants the reporting root key may speak for. */
    readonly binding: TenantBinding,
    /** When given, every key of the batch must belong to this tenant. */
    readonly tenantId?: string,
  ) {}
}

/** What was taken: every use of the batch, counted in the buffer, written at the next flush. */
export interface RecordedBatch {
  readonly accepted: number;
}
