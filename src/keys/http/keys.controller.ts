import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RequestContext, RequireAbility } from '../../root-keys';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { KEY_DIRECTORY, type KeyDirectory } from '../read-models/key-directory.port';
import { TENANT_DIRECTORY, type TenantDirectory } from '../../tenants';
import { CLOCK, type Clock } from '../../shared/clock';
import type { CommandContext } from '../../shared/command-context';
import { ValidationFailed } from '../../shared/errors';
import { SCOPE_PRESETS } from '../../shared/scope-matching';
import { type IssuedApiKey } from '../commands/issued-key';
import { mustExist } from '../../shared/errors';
import { CreateKeyCommand } from '../commands/create-key/create-key.command';
import { RevokeKeyCommand } from '../commands/revoke-key/revoke-key.command';
import { RotateKeyCommand } from '../commands/rotate-key/rotate-key.command';
import type { RotatedKey } from '../commands/rotate-key/rotate-key.handler';
import { UpdateKeyCommand } from '../commands/update-key/update-key.command';
import type { KeyRecord } from '../read-models/key-directory.port';
import { CreateKeyDto, GetKeyQuery, ListKeysQuery, RotateKeyDto, UpdateKeyDto } from './key.dto';
import { KeyParams, RevokeKeyDto, TenantParams } from '../../http/common.dto';
import { keyView } from './key.view';
import { KeyAsOf } from '../queries/key-as-of';
import { KEY_LAST_USE, type KeyLastUse } from '../queries/key-last-use.port';

@Controller('v1/tenants/:tenantId/keys')
export class KeysController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(KEY_DIRECTORY) private readonly keys: KeyDirectory,
    @Inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keyAsOf: KeyAsOf,
    @Inject(KEY_LAST_USE) private readonly usage: KeyLastUse,
  ) {}

  @Post()
  @RequireAbility('keys:write')
  async create(
    @Param() { tenantId }: TenantParams,
    @Body() body: CreateKeyDto,
    @RequestContext() context: CommandContext,
  ) {
    const { preset, ...request } = body;
    const scopes = [...(preset ? SCOPE_PRESETS[preset] : []), ...(body.scopes ?? [])];
    const issued = await this.commands.execute<CreateKeyCommand, IssuedApiKey>(
      new CreateKeyCommand(tenantId, { ...request, scopes }, context),
    );
    const neverUsed = { lastUsedAt: null };
    return { ...keyView(issued.record, this.clock.now(), neverUsed), key: issued.plaintext };
  }

  @Get()
  @RequireAbility('keys:read')
  async list(@Param() { tenantId }: TenantParams, @Query() query: ListKeysQuery) {
    mustExist(await this.tenants.find(tenantId), 'Tenant');
    const limit = query.limit ?? 20;
    if (limit > this.config.limits.listPageMax) {
      throw new ValidationFailed('Invalid limit', [
        { field: 'limit', message: `limit must not exceed ${this.config.limits.listPageMax}` },
      ]);
    }
    const now = this.clock.now();
    const page = await this.keys.list({ ...query, tenantId, limit }, now);
    const keyIds = page.items.map((record) => record.keyId);
    const used = await this.usage.lastUsed(tenantId, keyIds);
    const items = page.items.map((record) =>
      keyView(record, now, { lastUsedAt: used.get(record.keyId) ?? null }),
    );
    return { items, nextCursor: page.nextCursor };
  }

  @Get(':keyId')
  @RequireAbility('keys:read')
  async get(@Param() { tenantId, keyId }: KeyParams, @Query() { asOf }: GetKeyQuery) {
    const now = this.clock.now();
    if (asOf === undefined) {
      const record = mustExist(await this.keys.findById(tenantId, keyId), 'API key');
      return keyView(record, now, await this.usage.lastUsedOf(tenantId, keyId));
    }
    const instant = new Date(asOf);
    if (instant.getTime() > now.getTime()) {
      throw new ValidationFailed('Invalid asOf', [
        { field: 'asOf', message: 'asOf must not be in the future' },
      ]);
    }
    return keyView(
      mustExist(await this.keyAsOf.find(tenantId, keyId, instant), 'API key'),
      instant,
    );
  }

  @Patch(':keyId')
  @RequireAbility('keys:write')
  async update(
    @Param() { tenantId, keyId }: KeyParams,
    @Body() body: UpdateKeyDto,
    @RequestContext() context: CommandContext,
  ) {
    // DTO fields exist as own properties even when absent, so look at the values.
    if (Object.values(body).every((value) => value === undefined)) {
      throw new ValidationFailed('Nothing to change', [
        { field: 'body', message: 'give at least one field to change' },
      ]);
    }
    const record = await this.commands.execute<UpdateKeyCommand, KeyRecord>(
      new UpdateKeyCommand(tenantId, keyId, body, context),
    );
    return keyView(record, this.clock.now(), await this.usage.lastUsedOf(tenantId, keyId));
  }

  @Delete(':keyId')
  @RequireAbility('keys:delete')
  async revoke(
    @Param() { tenantId, keyId }: KeyParams,
    @Body() body: RevokeKeyDto,
    @RequestContext() context: CommandContext,
  ) {
    const record = await this.commands.execute<RevokeKeyCommand, KeyRecord>(
      new RevokeKeyCommand(tenantId, keyId, body.reason ?? null, context),
    );
    return keyView(record, this.clock.now(), await this.usage.lastUsedOf(tenantId, keyId));
  }

  @Post(':keyId/rotate')
  @HttpCode(201)
  @RequireAbility('keys:write')
  async rotate(
    @Param() { tenantId, keyId }: KeyParams,
    @Body() body: RotateKeyDto,
    @RequestContext() context: CommandContext,
  ) {
    const rotated = await this.commands.execute<RotateKeyCommand, RotatedKey>(
      new RotateKeyCommand(tenantId, keyId, body.gracePeriodSeconds ?? 0, context),
    );
    const now = this.clock.now();
    const previousUsage = await this.usage.lastUsedOf(tenantId, keyId);
    return {
      ...keyView(rotated.record, now, { lastUsedAt: null }),
      key: rotated.plaintext,
      previous: keyView(rotated.previous, now, previousUsage),
    };
  }
}
