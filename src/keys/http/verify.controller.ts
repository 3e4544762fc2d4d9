import { Body, Controller, HttpCode, Post, type PipeTransform } from '@nestjs/common';
import { Principal, RequireAbility } from '../../http/route-metadata';
import type { AuthenticatableRootKey } from '../../read-models/root-key-directory.port';
import { KeyVerifier } from '../verification/key-verifier';
import type { VerifyRequest, VerifyResult } from '../verification/verify-key';
import { parseVerifyRequest } from './verify-request';

/** The body's parameter type is an interface, so the generic validation pipe leaves it to this one. */
class VerifyRequestPipe implements PipeTransform<unknown, VerifyRequest> {
  transform(body: unknown): VerifyRequest {
    return parseVerifyRequest(body);
  }
}

@Controller('v1/keys/verify')
export class VerifyController {
  constructor(private readonly verifier: KeyVerifier) {}

  /** Always 200: the outcome is in `code`. Answered from memory, never from the event store. */
  @Post()
  @HttpCode(200)
  @RequireAbility('keys:verify')
  verify(
    @Body(VerifyRequestPipe) body: VerifyRequest,
    @Principal() principal: AuthenticatableRootKey,
  ): VerifyResult | Promise<VerifyResult> {
    return this.verifier.verify(body, principal.record.tenants);
  }
}
