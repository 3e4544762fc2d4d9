import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { hashKey, parseKey } from '../keys/domain/key-format';
import {
  ROOT_KEY_DIRECTORY,
  type AuthenticatableRootKey,
  type RootKeyDirectory,
} from '../read-models/root-key-directory.port';
import { ProjectionRunner } from '../read-models/projection-runner';
import { CLOCK, type Clock } from '../shared/clock';
import { Forbidden, NotFound, RateLimited, Unauthorized } from '../shared/errors';
import { FixedWindowLimiter } from '../shared/fixed-window-limiter';
import { header, httpRequest, type PlatformNeutralRequest } from './http-request';
import { PUBLIC_ROUTE, REQUIRED_ABILITY } from './route-metadata';

/**
 * Authenticates the root key (Authorization: Bearer wins over X-API-Key), then enforces its own
 * rate limit, the route's ability and the key's tenant binding. Every authentication failure
 * raises the same Unauthorized, whatever the cause.
 */
@Injectable()
export class RootKeyGuard implements CanActivate {
  private readonly limiter = new FixedWindowLimiter();

  constructor(
    private readonly reflector: Reflector,
    @Inject(ROOT_KEY_DIRECTORY) private readonly rootKeys: RootKeyDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionRunner,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = httpRequest(context);
    const principal = await this.authenticate(request);
    if (request.keyledger) request.keyledger.principal = principal;

    const { record } = principal;
    if (record.rateLimit) {
      const nowMs = this.clock.now().getTime();
      const decision = this.limiter.hit(record.rootKeyId, record.rateLimit, nowMs);
      if (!decision.allowed)
        throw new RateLimited(Math.max(1, Math.ceil((decision.resetAtMs - nowMs) / 1000)));
    }
    const ability = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_ABILITY, targets);
    if (ability === undefined)
      throw new Error('Route declares neither @RequireAbility nor @PublicRoute');
    if (!principal.abilities.grants(ability)) throw new Forbidden(`Missing ability: ${ability}`);

    const tenantId = request.params?.tenantId;
    if (tenantId !== undefined && record.tenants !== '*' && !record.tenants.includes(tenantId)) {
      throw new NotFound('Tenant not found');
    }
    return true;
  }

  private async authenticate(request: PlatformNeutralRequest): Promise<AuthenticatableRootKey> {
    const presented = presentedKey(request);
    if (presented === undefined || parseKey(presented)?.family !== 'root') throw new Unauthorized();
    const hash = hashKey(presented);
    let principal = this.rootKeys.lookup(hash);
    if (!principal) {
      // Only well-formed keys with a valid checksum get here, so junk costs no store read.
      await this.projections.catchUpNow({ streamPrefixes: ['rootkey-'] });
      principal = this.rootKeys.lookup(hash);
    }
    if (!principal || principal.record.revokedAt !== null) throw new Unauthorized();
    return principal;
  }
}

function presentedKey(request: PlatformNeutralRequest): string | undefined {
  const authorization = header(request, 'authorization');
  if (authorization !== undefined) {
    const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : undefined;
  }
  return header(request, 'x-api-key')?.trim();
}
