import { Body, Controller, Delete, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Principal, RequestContext, RequireAbility } from './route-metadata';
import { RateLimitDto, RevokeKeyDto } from '../../http/common.dto';
import type { AuthenticatableRootKey, RootKeyRecord } from '../read-models/root-key-directory.port';
import type { CommandContext } from '../../shared/command-context';
import { CreateRootKeyCommand } from '../commands/create-root-key/create-root-key.command';
import type { IssuedRootKey } from '../commands/create-root-key/create-root-key.handler';
import { RevokeRootKeyCommand } from '../commands/revoke-root-key/revoke-root-key.command';
import { IsTenantBinding } from './tenant-binding.validator';

export class CreateRootKeyDto {
  @IsString() @Length(1, 100) name!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  abilities!: string[];
  /** `'*'` or a list of tenant ids; default: the caller's own binding. */
  @IsOptional() @IsTenantBinding() tenants?: '*' | string[];
  @IsOptional() @ValidateNested() @Type(() => RateLimitDto) rateLimit?: RateLimitDto;
}

export class RootKeyParams {
  @IsUUID() rootKeyId!: string;
}

export const rootKeyView = (r: RootKeyRecord) => ({
  id: r.rootKeyId,
  name: r.name,
  hint: r.hint,
  abilities: r.abilities,
  tenants: r.tenants,
  rateLimit: r.rateLimit,
  createdAt: r.createdAt,
  revokedAt: r.revokedAt,
});

@Controller('v1/root-keys')
export class RootKeysController {
  constructor(private readonly commands: CommandBus) {}

  /** A root key can only hand out abilities and tenants it holds itself. */
  @Post()
  @RequireAbility('root-keys:write')
  async create(
    @Body() body: CreateRootKeyDto,
    @Principal() principal: AuthenticatableRootKey,
    @RequestContext() context: CommandContext,
  ) {
    const { record } = principal;
    const issued = await this.commands.execute<CreateRootKeyCommand, IssuedRootKey>(
      new CreateRootKeyCommand(
        body.name,
        body.abilities,
        body.tenants ?? record.tenants,
        body.rateLimit ?? null,
        { abilities: record.abilities, tenants: record.tenants },
        context,
      ),
    );
    return { ...rootKeyView(issued.record), key: issued.plaintext };
  }

  @Delete(':rootKeyId')
  @RequireAbility('root-keys:write')
  async revoke(
    @Param() { rootKeyId }: RootKeyParams,
    @Body() body: RevokeKeyDto,
    @Principal() principal: AuthenticatableRootKey,
    @RequestContext() context: CommandContext,
  ) {
    const { abilities, tenants } = principal.record;
    const record = await this.commands.execute<RevokeRootKeyCommand, RootKeyRecord>(
      new RevokeRootKeyCommand(rootKeyId, body.reason ?? null, { abilities, tenants }, context),
    );
    return rootKeyView(record);
  }
}
