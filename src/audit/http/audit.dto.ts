import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { AFTER_PATTERN } from '../query/audit-cursor';

/** `GET /v1/tenants/:tenantId/audit`: the JSON page, or with Accept: application/x-ndjson the export. */
export class AuditQueryDto {
  /** occurredAt ≥ from */
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  /** occurredAt < to */
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9]{0,63}$/, { message: 'type must be an event type' })
  type?: string;
  @IsOptional() @IsUUID() keyId?: string;
  @IsOptional()
  @Matches(AFTER_PATTERN, { message: 'after must be a nextAfter this API returned' })
  after?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}
