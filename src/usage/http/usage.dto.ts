import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsIP,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  ValidateNested,
} from 'class-validator';
import { TENANT_ID_PATTERN } from '../../shared/tenant-id';
import { MAX_BATCH_ENTRIES } from '../commands/record-usage/usage-batch';
import { GRANULARITIES, type Granularity } from '../domain/time-buckets';
import type { UsageGroupBy } from '../queries/usage-report';

/**
 * One reported use. Shapes are checked here; ranges, keys and times by the RecordUsage batch
 * check, so that every rule lives in one place and names the entry it refuses.
 */
export class UsageEntryDto {
  @IsUUID() keyId!: string;
  @IsString() endpoint!: string;
  @IsInt() status!: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) latencyMs?: number;
  /** Accepted and checked, not stored: a client address per use is personal data. */
  @IsOptional() @IsIP() ip?: string;
  @IsOptional() @IsISO8601({ strict: true }) at?: string;
}

export class RecordUsageDto {
  /** When given, every key of the batch must belong to this tenant. */
  @IsOptional()
  @Matches(TENANT_ID_PATTERN, { message: 'tenantId must match [a-z0-9][a-z0-9-]{2,39}' })
  tenantId?: string;

  @IsArray()
  @ArrayMaxSize(MAX_BATCH_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => UsageEntryDto)
  entries!: UsageEntryDto[];
}

export class UsageQueryDto {
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @IsOptional() @IsIn(GRANULARITIES) granularity?: Granularity;
  @IsOptional() @IsUUID() keyId?: string;
  @IsOptional() @IsIn(['key', 'endpoint', 'status']) groupBy?: UsageGroupBy;
}
