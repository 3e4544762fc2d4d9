import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Principal, RequireAbility } from '../../http/route-metadata';
import type { AuthenticatableRootKey } from '../../read-models/root-key-directory.port';
import { KeyVerifier } from '../verification/key-verifier';
import type { VerifyResult } from '../verification/verify-key';
import { VerifyKeyDto } from './verify.dto';

@Controller('v1/keys/verify')
export class VerifyController {
  constructor(private readonly verifier: KeyVerifier) {}

  /** Always 200: the outcome is in `code`. Answered from memory, never from the event store. */
  @Post()
  @HttpCode(200)
  @RequireAbility('keys:verify')
  verify(@Body() body: VerifyKeyDto, @Principal() principal: AuthenticatableRootKey): VerifyResult {
    return this.verifier.verify(body, principal.record.tenants);
  }
}
