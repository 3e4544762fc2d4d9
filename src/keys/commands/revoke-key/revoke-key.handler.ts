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
import { RevokeKeyCommand } from './revoke-key.command';

/** Immediate and final: resolves only once this instance's verification answers REVOKED. */
@CommandHandler(RevokeKeyCommand)
export class RevokeKeyHandler implements ICommandHandler<RevokeKeyCommand, KeyRecord> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(KEY_DIRECTORY) private readonly keys: KeyDirectory,
  ) {}

  async execute({ tenantId, keyId, reason, context }: RevokeKeyCommand): Promise<KeyRecord> {
    await this.executor.execute(
      apiKeyStream(keyId),
      apiKeyDecider,
      { type: 'RevokeKey', data: { keyId, tenantId, reason } },
      context,
    );
    return mustExist(await this.keys.findById(tenantId, keyId), 'API key');
  }
}
