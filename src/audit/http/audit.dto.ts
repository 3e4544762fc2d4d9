import { Type } from 'class-transformer';
import {
  IsInt,
  IsISO8601,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { isAfter } from '../query/audit-cursor';

const IsAfter = () =>
  ValidateBy({
    name: 'isAfter',
    validator: {
      validate: isAfter,
      defaultMessage: () => 'after must be a nextAfter this API returned',
    },
  });

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
  @IsAfter()
  after?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}
