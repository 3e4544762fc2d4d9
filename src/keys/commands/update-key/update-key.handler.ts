import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../../event-store/write-path/command-executor';
import {
  KEY_DIRECTORY,
  type KeyDirectory,
  type KeyRecord,
} from '../../read-models/key-directory.port';
import { apiKeyDecider } from '../../domain/api-key.decider';
import { apiKeyStream } from '../../domain/api-key.events';
import { mustExist } from '../../../shared/errors';
import { UpdateKeyCommand } from './update-key.command';

/** One event per kind of change; a request that changes nothing appends nothing. */
@CommandHandler(UpdateKeyCommand)
export class UpdateKeyHandler implements ICommandHandler<UpdateKeyCommand, KeyRecord> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(KEY_DIRECTORY) private readonly keys: KeyDirectory,
  ) {}

  async execute({ tenantId, keyId, changes, context }: UpdateKeyCommand): Promise<KeyRecord> {
    await this.executor.execute(
      apiKeyStream(keyId),
      apiKeyDecider,
      { type: 'UpdateKey', data: { keyId, tenantId, changes } },
      context,
    );
    return mustExist(await this.keys.findById(tenantId, keyId), 'API key');
  }
}
