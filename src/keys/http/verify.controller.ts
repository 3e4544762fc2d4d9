import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { PlatformNeutralRequest } from '../../http/http-request';
import { principalOf, RequireAbility } from '../../root-keys';
import { KeyVerifier } from '../verification/key-verifier';
import type { VerifyResult } from '../verification/verify-key';
import { parseVerifyRequest } from './verify-request';

@Controller('v1/keys/verify')
export class VerifyController {
  constructor(private readonly verifier: KeyVerifier) {}

  /**
   * Always 200: the outcome is in `code`. Answered from memory, never from the event store.
   * The request is the only parameter: Nest runs each decorated body or custom parameter through
   * its pipes (the global validation pipe too), a chain of promises per parameter per request;
   * this, the hottest route, reads the body and the principal off the request instead.
   */
  @Post()
  @HttpCode(200)
  @RequireAbility('keys:verify')
  verify(@Req() request: PlatformNeutralRequest): VerifyResult | Promise<VerifyResult> {
    const body = parseVerifyRequest(request.body);
    return this.verifier.verify(body, principalOf(request).record.tenants);
  }
}
