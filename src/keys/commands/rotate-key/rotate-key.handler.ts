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
import { tenantDecider, tenantStream } from '../../../tenants';
import { replacementKey } from '../../domain/api-key.decide';
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
 * Two streams, in this order: `ApiKeyRotated` on the old key (guarded by its revision, so a
 * concurrent revoke wins cleanly), then `ApiKeyCreated` on the new key's fresh stream.
 */
@CommandHandler(RotateKeyCommand)
export class RotateKeyHandler implements ICommandHandler<RotateKeyCommand, RotatedKey> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(KEY_DIRECTORY) private readonly keys: KeyDirectory,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
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
    );
    const old = rotation.loaded.state as Extract<ApiKeyState, { exists: true }>;
    const tenant = (await this.executor.load(tenantStream(tenantId), tenantDecider)).state;
    if (!tenant.exists) throw new NotFound('Tenant not found');
    const issued = generateApiKey(tenant.keyPrefix, old.environment, old.kind);
    const created = replacementKey(
      old,
      { newKeyId, keyHash: issued.hash, hint: issued.hint, createdBy: actorLabel(context) },
      now,
    );
    await this.executor.execute(
      apiKeyStream(newKeyId),
      { ...apiKeyDecider, decide: (_command: null, state) => (state.exists ? [] : [created]) },
      null,
      context,
      now,
    );
    return {
      record: mustExist(await this.keys.findById(tenantId, newKeyId), 'API key'),
      plaintext: issued.plaintext,
      previous: mustExist(await this.keys.findById(tenantId, keyId), 'API key'),
    };
  }
}
