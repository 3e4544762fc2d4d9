import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { RateLimitDto } from '../../http/common.dto';
import { KEY_LIMITS } from '../domain/key-settings';

/** Present and not null: for fields that may be omitted but never cleared. */
const Present = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

class KeySettingsDto {
  @IsOptional() @IsISO8601({ strict: true }) expiresAt?: string | null;
  @IsOptional() @ValidateNested() @Type(() => RateLimitDto) rateLimit?: RateLimitDto | null;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(KEY_LIMITS.maxAllowedIps)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  allowedIps?: string[] | null;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(KEY_LIMITS.maxAllowedOrigins)
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  allowedOrigins?: string[] | null;
  @IsOptional() @IsObject() metadata?: Record<string, string | number | boolean | null> | null;
}

export class CreateKeyDto extends KeySettingsDto {
  @IsString() @Length(1, KEY_LIMITS.nameMaxLength) name!: string;
  @IsOptional() @IsIn(['live', 'test']) environment?: 'live' | 'test';
  @IsOptional() @IsIn(['secret', 'publishable']) kind?: 'secret' | 'publishable';
  @IsOptional() @IsIn(['read-only', 'standard', 'full']) preset?: 'read-only' | 'standard' | 'full';
  @Present()
  @IsArray()
  @ArrayMaxSize(KEY_LIMITS.maxScopes)
  @IsString({ each: true })
  @MaxLength(KEY_LIMITS.scopeMaxLength, { each: true })
  scopes?: string[];
}

export class UpdateKeyDto extends KeySettingsDto {
  @Present() @IsString() @Length(1, KEY_LIMITS.nameMaxLength) name?: string;
  @Present()
  @IsArray()
  @ArrayMaxSize(KEY_LIMITS.maxScopes)
  @IsString({ each: true })
  @MaxLength(KEY_LIMITS.scopeMaxLength, { each: true })
  scopes?: string[];
}

export class RotateKeyDto {
  @IsOptional() @IsInt() @Min(0) @Max(KEY_LIMITS.maxGracePeriodSeconds) gracePeriodSeconds?: number;
}

export class ListKeysQuery {
  @IsOptional() @IsIn(['active', 'revoked', 'expired']) status?: 'active' | 'revoked' | 'expired';
  @IsOptional() @IsIn(['live', 'test']) environment?: 'live' | 'test';
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @IsString() @MaxLength(512) cursor?: string;
}

export class GetKeyQuery {
  /** Answer from the key's events up to this instant (point-in-time state). */
  @IsOptional() @IsISO8601({ strict: true }) asOf?: string;
}
