import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../../shared/clock';
import { DomainError, NotFound, ValidationFailed } from '../../../shared/errors';
import { UsageAccumulator } from '../../accumulator/usage-accumulator';
import {
  KEY_USAGE_DIRECTORY,
  type KeyUsageDirectory,
} from '../../read-models/key-usage-directory.port';
import { RecordUsageCommand, type RecordedBatch } from './record-usage.command';
import { checkBatch, isEntryObject } from './usage-batch';

/**
 * RecordUsage for reported batches: checks the whole batch, then counts every use in the
 * buffer, which the flusher writes as one UsageRecorded event per flush. Nothing is written per
 * request. A batch that does not fit the buffer is refused whole (503), never half counted.
 */
@CommandHandler(RecordUsageCommand)
export class RecordUsageHandler implements ICommandHandler<RecordUsageCommand, RecordedBatch> {
  constructor(
    private readonly accumulator: UsageAccumulator,
    @Inject(KEY_USAGE_DIRECTORY) private readonly keys: KeyUsageDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ uses, binding, tenantId }: RecordUsageCommand): Promise<RecordedBatch> {
    if (tenantId !== undefined && binding !== '*' && !binding.includes(tenantId)) {
      throw new NotFound('Tenant not found');
    }
    const keyIds = uses.filter(isEntryObject).map((use) => use.keyId);
    const owners = await this.keys.owners([...new Set(keyIds)]);
    const check = checkBatch(uses, { owners, binding, tenantId, now: this.clock.now() });
    if (!check.ok) {
      throw new ValidationFailed('Usage batch refused; nothing was recorded', check.problems);
    }
    if (!this.accumulator.hasRoomFor(check.uses.length)) {
      this.accumulator.metrics.batchesRefused++;
      throw new DomainError(
        'unavailable',
        'USAGE_BUFFER_FULL',
        'The usage buffer is full; nothing was recorded, retry shortly',
      );
    }
    for (const use of check.uses) {
      this.accumulator.record(
        use.keyId,
        use.tenantId,
        use.endpoint,
        use.status,
        use.atMs,
        use.latencyMs,
      );
    }
    return { accepted: check.uses.length };
  }
}
