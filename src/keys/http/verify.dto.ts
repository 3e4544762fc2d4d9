import { ArrayMaxSize, IsArray, IsIP, IsOptional, IsString, MaxLength } from 'class-validator';

export class VerifyKeyDto {
  /** Not checked for format here: a malformed key is answered NOT_FOUND, like an unknown one. */
  @IsString() @MaxLength(256) key!: string;
  @IsOptional() @IsString() @MaxLength(64) tenantId?: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  requiredScopes?: string[];
  @IsOptional() @IsIP() ip?: string;
  @IsOptional() @IsString() @MaxLength(2048) origin?: string;
  @IsOptional() @IsString() @MaxLength(256) endpoint?: string;
}
