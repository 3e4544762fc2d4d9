import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { generateRootKey } from '../../../shared/key-format';
import { actorLabel } from '../../../shared/command-context';
import { mustExist } from '../../../shared/errors';
import { CommandExecutor } from '../../../event-store/write-path/command-executor';
import {
  ROOT_KEY_DIRECTORY,
  type RootKeyDirectory,
  type RootKeyRecord,
} from '../../read-models/root-key-directory.port';
import { ID_GENERATOR, type IdGenerator } from '../../../shared/ids';
import { SECRET_GENERATOR, type SecretGenerator } from '../../../shared/secrets';
import { rootKeyDecider } from '../../domain/root-key.decider';
import { rootKeyStream } from '../../domain/root-key.events';
import { CreateRootKeyCommand } from './create-root-key.command';

export interface IssuedRootKey {
  readonly record: RootKeyRecord;
  readonly plaintext: string;
}

@CommandHandler(CreateRootKeyCommand)
export class CreateRootKeyHandler implements ICommandHandler<CreateRootKeyCommand, IssuedRootKey> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ROOT_KEY_DIRECTORY) private readonly rootKeys: RootKeyDirectory,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(SECRET_GENERATOR) private readonly secrets: SecretGenerator,
  ) {}

  async execute(command: CreateRootKeyCommand): Promise<IssuedRootKey> {
    const rootKeyId = this.ids.uuid();
    const issued = generateRootKey(this.secrets);
    await this.executor.execute(
      rootKeyStream(rootKeyId),
      rootKeyDecider,
      {
        type: 'CreateRootKey',
        data: {
          rootKeyId,
          name: command.name,
          abilities: [...new Set(command.abilities)],
          tenants: command.tenants,
          rateLimit: command.rateLimit,
          keyHash: issued.hash,
          hint: issued.hint,
          createdBy: actorLabel(command.context),
          grantor: command.grantor,
        },
      },
      command.context,
    );
    return {
      record: mustExist(this.rootKeys.findById(rootKeyId), 'Root key'),
      plaintext: issued.plaintext,
    };
  }
}
