import { Readable } from 'node:stream';
import { Controller, Get, Headers, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { PublicRoute } from '../../http/public-route';
import { RequireAbility } from '../../root-keys';
import { KeyParams, TenantParams } from '../../http/common.dto';
import { mustExist } from '../../shared/errors';
import { TENANT_DIRECTORY, type TenantDirectory } from '../../tenants';
import { ValidationFailed } from '../../shared/errors';
import { TenantAuditExport } from '../export/tenant-audit-export';
import { parseAfter } from '../query/audit-cursor';
import { TenantAuditLog } from '../query/tenant-audit-log';
import { AUDIT_SIGNER, publicKeyDocument, type AuditSigner } from '../signing/audit-signer';
import { AuditQueryDto } from './audit.dto';

export const NDJSON = 'application/x-ndjson';

@Controller('v1')
export class AuditController {
  constructor(
    private readonly log: TenantAuditLog,
    private readonly exporter: TenantAuditExport,
    @Inject(AUDIT_SIGNER) private readonly signer: AuditSigner,
    @Inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Public keys only, like a JWKS: what auditors verify checkpoints and exports with. */
  @Get('audit/public-keys')
  @PublicRoute()
  publicKeys() {
    return publicKeyDocument([this.signer]);
  }

  @Get('tenants/:tenantId/keys/:keyId/history')
  @RequireAbility('audit:read')
  async history(@Param() { tenantId, keyId }: KeyParams) {
    const events = mustExist(await this.log.keyHistory(tenantId, keyId), 'API key');
    return { keyId, events };
  }

  /** The tenant's audit events in global order; as NDJSON, the verifiable export (streamed). */
  @Get('tenants/:tenantId/audit')
  @RequireAbility('audit:read')
  async audit(
    @Param() { tenantId }: TenantParams,
    @Query() query: AuditQueryDto,
    @Headers('accept') accept: string | undefined,
  ) {
    mustExist(await this.tenants.find(tenantId), 'Tenant');
    const from = query.from === undefined ? undefined : new Date(query.from);
    const to = query.to === undefined ? undefined : new Date(query.to);
    if (from && to && from.getTime() >= to.getTime()) {
      throw new ValidationFailed('Invalid time window', [
        { field: 'to', message: 'to must be after from' },
      ]);
    }
    const filters = { tenantId, from, to, type: query.type, keyId: query.keyId };
    if (accept?.includes(NDJSON)) return this.export(filters, query);
    const limit = query.limit ?? 100;
    if (limit > this.config.limits.listPageMax) {
      throw new ValidationFailed('Invalid limit', [
        { field: 'limit', message: `limit must not exceed ${this.config.limits.listPageMax}` },
      ]);
    }
    const after = query.after === undefined ? undefined : parseAfter(query.after);
    return this.log.page({ ...filters, after, limit });
  }

  private async export(request: Parameters<TenantAuditExport['chunks']>[0], query: AuditQueryDto) {
    const paging = (['after', 'limit'] as const).filter((field) => query[field] !== undefined);
    if (paging.length > 0) {
      throw new ValidationFailed(
        'An export is never paged',
        paging.map((field) => ({
          field,
          message: `${field} pages the JSON listing; an export holds the whole window`,
        })),
      );
    }
    const chunks = this.exporter.chunks(request);
    // The first chunk is read here, so that a failure before any byte is sent still goes
    // through the exception filter; after that, a failure cuts the stream (no trailer).
    const first = await chunks.next();
    const rest = async function* () {
      if (!first.done) yield first.value;
      yield* chunks;
    };
    return new StreamableFile(Readable.from(rest(), { objectMode: false }), {
      type: `${NDJSON}; charset=utf-8`,
      disposition: `attachment; filename="${request.tenantId}-audit.ndjson"`,
    });
  }
}
