import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../../event-store/write-path/command-executor';
import { KEY_DIRECTORY, type KeyDirectory } from '../../read-models/key-directory.port';
import { ID_GENERATOR, type IdGenerator } from '../../../shared/ids';
import { SECRET_GENERATOR, type SecretGenerator } from '../../../shared/secrets';
import { tenantDecider, tenantStream } from '../../../tenants';
import { NotFound } from '../../../shared/errors';
import { apiKeyDecider } from '../../domain/api-key.decider';
import { apiKeyStream } from '../../domain/api-key.events';
import { generateApiKey } from '../../../shared/key-format';
import { type IssuedApiKey } from '../issued-key';
import { actorLabel } from '../../../shared/command-context';
import { mustExist } from '../../../shared/errors';
import { CreateKeyCommand } from './create-key.command';

@CommandHandler(CreateKeyCommand)
export class CreateKeyHandler implements ICommandHandler<CreateKeyCommand, IssuedApiKey> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(KEY_DIRECTORY) private readonly keys: KeyDirectory,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(SECRET_GENERATOR) private readonly secrets: SecretGenerator,
  ) {}

  async execute({ tenantId, request, context }: CreateKeyCommand): Promise<IssuedApiKey> {
    const tenant = (await this.executor.load(tenantStream(tenantId), tenantDecider)).state;
    if (!tenant.exists) throw new NotFound('Tenant not found');
    const environment = request.environment ?? 'live';
    const kind = request.kind ?? 'secret';
    const issued = generateApiKey(tenant.keyPrefix, environment, kind, this.secrets);
    const keyId = this.ids.uuid();
    await this.executor.execute(
      apiKeyStream(keyId),
      apiKeyDecider,
      {
        type: 'CreateKey',
        data: {
          keyId,
          tenantId,
          name: request.name,
          environment,
          kind,
          scopes: request.scopes ?? [],
          expiresAt: request.expiresAt ?? null,
          rateLimit: request.rateLimit ?? null,
          allowedIps: request.allowedIps ?? null,
          allowedOrigins: request.allowedOrigins ?? null,
          metadata: request.metadata ?? null,
          keyHash: issued.hash,
          hint: issued.hint,
          createdBy: actorLabel(context),
        },
      },
      context,
    );
    const record = mustExist(await this.keys.findById(tenantId, keyId), 'API key');
    return { record, plaintext: issued.plaintext };
  }
}
