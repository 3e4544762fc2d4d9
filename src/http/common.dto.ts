import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { RATE_LIMIT_MAX_WINDOW_SECONDS } from '../shared/fixed-window-limiter';
import { TENANT_ID_PATTERN } from '../shared/tenant-id';

/** Request shapes that several features' routes share. */

export class RateLimitDto {
  @IsInt() @Min(1) @Max(1_000_000_000) limit!: number;
  @IsInt() @Min(1) @Max(RATE_LIMIT_MAX_WINDOW_SECONDS) windowSeconds!: number;
}

export class RevokeKeyDto {
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class TenantParams {
  @Matches(TENANT_ID_PATTERN, { message: 'tenantId must match [a-z0-9][a-z0-9-]{2,39}' })
  tenantId!: string;
}

export class KeyParams extends TenantParams {
  @IsUUID() keyId!: string;
}
