import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Principal, RequireAbility } from '../../root-keys';
import { mustExist } from '../../shared/errors';
import { KeyParams, TenantParams } from '../../http/common.dto';
import { KEY_DIRECTORY, type KeyDirectory } from '../../keys';
import type { AuthenticatableRootKey } from '../../root-keys';
import { TENANT_DIRECTORY, type TenantDirectory } from '../../tenants';
import { CLOCK, type Clock } from '../../shared/clock';
import {
  RecordUsageCommand,
  type RecordedBatch,
} from '../commands/record-usage/record-usage.command';
import { UsageAnomalyDetector } from '../queries/anomalies/usage-anomaly-detector';
import { KeyUsageSummary } from '../queries/key-usage-summary';
import { UsageReport } from '../queries/usage-report';
import { usageRange } from './usage-range';
import { RecordUsageDto, UsageQueryDto } from './usage.dto';

@Controller('v1')
export class UsageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly report: UsageReport,
    private readonly anomalies: UsageAnomalyDetector,
    private readonly summary: KeyUsageSummary,
    @Inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
    @Inject(KEY_DIRECTORY) private readonly keys: KeyDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** 202: counted in this instance's buffer, written with its next flush (about a second). */
  @Post('usage')
  @HttpCode(202)
  @RequireAbility('usage:write')
  record(
    @Body() body: RecordUsageDto,
    @Principal() principal: AuthenticatableRootKey,
  ): Promise<RecordedBatch> {
    return this.commands.execute<RecordUsageCommand, RecordedBatch>(
      new RecordUsageCommand(body.entries, principal.record.tenants, body.tenantId),
    );
  }

  @Get('tenants/:tenantId/usage')
  @RequireAbility('usage:read')
  async usage(@Param() { tenantId }: TenantParams, @Query() query: UsageQueryDto) {
    mustExist(await this.tenants.find(tenantId), 'Tenant');
    if (query.keyId !== undefined) {
      mustExist(await this.keys.findById(tenantId, query.keyId), 'API key');
    }
    const range = usageRange(query, this.clock.now());
    return this.report.answer({ tenantId, keyId: query.keyId, groupBy: query.groupBy, ...range });
  }

  @Get('tenants/:tenantId/usage/keys/:keyId')
  @RequireAbility('usage:read')
  async keyUsage(@Param() { tenantId, keyId }: KeyParams) {
    mustExist(await this.keys.findById(tenantId, keyId), 'API key');
    return this.summary.of(tenantId, keyId, this.clock.now());
  }

  @Get('tenants/:tenantId/usage/anomalies')
  @RequireAbility('usage:read')
  async anomaliesOf(@Param() { tenantId }: TenantParams) {
    mustExist(await this.tenants.find(tenantId), 'Tenant');
    return this.anomalies.detect(tenantId, this.clock.now());
  }
}
