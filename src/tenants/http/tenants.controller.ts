import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { Principal, RequestContext, RequireAbility } from '../../root-keys';
import { TenantParams } from '../../http/common.dto';
import type { AuthenticatableRootKey } from '../../root-keys';
import { TENANT_DIRECTORY, type TenantDirectory } from '../read-models/tenant-directory.port';
import type { CommandContext } from '../../shared/command-context';
import { Forbidden, NotFound } from '../../shared/errors';
import { CreateTenantCommand } from '../commands/create-tenant/create-tenant.command';
import type { TenantView } from '../commands/create-tenant/create-tenant.handler';
import { KEY_PREFIX_PATTERN, TENANT_ID_PATTERN } from '../../shared/tenant-id';

export class CreateTenantDto {
  @Matches(TENANT_ID_PATTERN, { message: 'tenantId must match [a-z0-9][a-z0-9-]{2,39}' })
  tenantId!: string;
  @IsString() @Length(1, 100) name!: string;
  @IsOptional()
  @Matches(KEY_PREFIX_PATTERN, { message: 'keyPrefix must match [a-z][a-z0-9]{1,11}' })
  keyPrefix?: string;
}

const tenantView = (t: Omit<TenantView, 'exists'>) => ({
  tenantId: t.tenantId,
  name: t.name,
  keyPrefix: t.keyPrefix,
  createdAt: t.createdAt,
  createdBy: t.createdBy,
});

@Controller('v1/tenants')
export class TenantsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
  ) {}

  @Post()
  @RequireAbility('tenants:write')
  async create(
    @Body() body: CreateTenantDto,
    @Principal() principal: AuthenticatableRootKey,
    @RequestContext() context: CommandContext,
  ) {
    const binding = principal.record.tenants;
    if (binding !== '*' && !binding.includes(body.tenantId)) {
      throw new Forbidden('This root key may only create the tenants it is bound to');
    }
    const created = await this.commands.execute<CreateTenantCommand, TenantView>(
      new CreateTenantCommand(body.tenantId, body.name, body.keyPrefix, context),
    );
    return tenantView(created);
  }

  @Get(':tenantId')
  @RequireAbility('tenants:read')
  async get(@Param() { tenantId }: TenantParams) {
    const tenant = await this.tenants.find(tenantId);
    if (!tenant) throw new NotFound('Tenant not found');
    return tenantView(tenant);
  }
}
