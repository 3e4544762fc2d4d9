import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../../event-store/write-path/command-executor';
import {
  KEY_DIRECTORY,
  type KeyDirectory,
  type KeyRecord,
} from '../../read-models/key-directory.port';
import { NotFound } from '../../../shared/errors';
import { ID_GENERATOR, type IdGenerator } from '../../../shared/ids';
import { SECRET_GENERATOR, type SecretGenerator } from '../../../shared/secrets';
import { tenantDecider, tenantStream } from '../../../tenants';
import { apiKeyDecider } from '../../domain/api-key.decider';
import { apiKeyStream } from '../../domain/api-key.events';
import type { ApiKeyState } from '../../domain/api-key.state';
import { generateApiKey } from '../../../shared/key-format';
import { type IssuedApiKey } from '../issued-key';
import { actorLabel } from '../../../shared/command-context';
import { mustExist } from '../../../shared/errors';
import { RotateKeyCommand } from './rotate-key.command';

export interface RotatedKey extends IssuedApiKey {
  readonly previous: KeyRecord;
}

/**
 * Two streams, in this order, both decided by the key decider at one `now`: `RotateKey` appends
 * `ApiKeyRotated` on the old key (guarded by its revision, so a concurrent revoke wins cleanly),
 * then `CreateReplacementKey` appends `ApiKeyCreated` on the new key's fresh stream. It waits for
 * the read models once, after both: a rotation that lags still gets its replacement key made
 * (and answers 503 READ_MODEL_LAGGING), never an old key rotated to a key that does not exist.
 */
@CommandHandler(RotateKeyCommand)
export class RotateKeyHandler implements ICommandHandler<RotateKeyCommand, RotatedKey> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(KEY_DIRECTORY) private readonly keys: KeyDirectory,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(SECRET_GENERATOR) private readonly secrets: SecretGenerator,
  ) {}

  async execute({
    tenantId,
    keyId,
    gracePeriodSeconds,
    context,
  }: RotateKeyCommand): Promise<RotatedKey> {
    const now = this.executor.now();
    const newKeyId = this.ids.uuid();
    const rotation = await this.executor.execute(
      apiKeyStream(keyId),
      apiKeyDecider,
      { type: 'RotateKey', data: { keyId, tenantId, newKeyId, gracePeriodSeconds } },
      context,
      now,
      { wait: false },
    );
    // RotateKey refuses a missing key, so the folded state is the key that was rotated.
    const old = rotation.loaded.state as Extract<ApiKeyState, { exists: true }>;
    const tenant = (await this.executor.load(tenantStream(tenantId), tenantDecider)).state;
    if (!tenant.exists) throw new NotFound('Tenant not found');
    const issued = generateApiKey(tenant.keyPrefix, old.environment, old.kind, this.secrets);
    const replacement = await this.executor.execute(
      apiKeyStream(newKeyId),
      apiKeyDecider,
      {
        type: 'CreateReplacementKey',
        data: {
          keyId: newKeyId,
          replaces: old,
          keyHash: issued.hash,
          hint: issued.hint,
          createdBy: actorLabel(context),
        },
      },
      context,
      now,
      { wait: false },
    );
    // The replacement comes after the rotation in the store: once it shows, both do.
    if (replacement.appended)
      await this.executor.showWrite(apiKeyStream(newKeyId), replacement.appended);
    else await this.executor.showWrite(apiKeyStream(keyId), rotation.appended);
    return {
      record: mustExist(await this.keys.findById(tenantId, newKeyId), 'API key'),
      plaintext: issued.plaintext,
      previous: mustExist(await this.keys.findById(tenantId, keyId), 'API key'),
    };
  }
}
