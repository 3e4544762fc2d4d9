import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { mustExist } from '../../../shared/errors';
import { CommandExecutor } from '../../../event-store/write-path/command-executor';
import {
  ROOT_KEY_DIRECTORY,
  type RootKeyDirectory,
  type RootKeyRecord,
} from '../../read-models/root-key-directory.port';
import { rootKeyDecider } from '../../domain/root-key.decider';
import { rootKeyStream } from '../../domain/root-key.events';
import { RevokeRootKeyCommand } from './revoke-root-key.command';

/** Resolves once this instance refuses the revoked root key. */
@CommandHandler(RevokeRootKeyCommand)
export class RevokeRootKeyHandler implements ICommandHandler<RevokeRootKeyCommand, RootKeyRecord> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ROOT_KEY_DIRECTORY) private readonly rootKeys: RootKeyDirectory,
  ) {}

  async execute({
    rootKeyId,
    reason,
    grantor,
    context,
  }: RevokeRootKeyCommand): Promise<RootKeyRecord> {
    await this.executor.execute(
      rootKeyStream(rootKeyId),
      rootKeyDecider,
      { type: 'RevokeRootKey', data: { rootKeyId, reason, grantor } },
      context,
    );
    return mustExist(this.rootKeys.findById(rootKeyId), 'Root key');
  }
}
