import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { CommandExecutor } from '../../../event-store/write-path/command-executor';
import { tenantDecider, tenantStream, type TenantState } from '../../domain/tenant';
import { CreateTenantCommand } from './create-tenant.command';

export type TenantView = Extract<TenantState, { exists: true }>;

@CommandHandler(CreateTenantCommand)
export class CreateTenantHandler implements ICommandHandler<CreateTenantCommand, TenantView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(command: CreateTenantCommand): Promise<TenantView> {
    const { tenantId, name, context } = command;
    const keyPrefix = command.keyPrefix ?? this.config.defaultKeyPrefix;
    const createdBy = `${context.actor.type}:${context.actor.id}`;
    const decision = await this.executor.execute(
      tenantStream(tenantId),
      tenantDecider,
      { type: 'CreateTenant', data: { tenantId, name, keyPrefix, createdBy } },
      context,
    );
    const created = decision.events[0] as { data: Omit<TenantView, 'exists'> };
    return { exists: true, ...created.data };
  }
}
