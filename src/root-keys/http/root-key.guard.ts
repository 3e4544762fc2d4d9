import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { hashKey, keyFamily } from '../../shared/key-format';
import {
  ROOT_KEY_DIRECTORY,
  type AuthenticatableRootKey,
  type RootKeyDirectory,
} from '../read-models/root-key-directory.port';
import { ProjectionRunner } from '../../projections/projection-runner';
import { CLOCK, type Clock } from '../../shared/clock';
import { Forbidden, NotFound, RateLimited, Unauthorized } from '../../shared/errors';
import { FixedWindowLimiter } from '../../shared/fixed-window-limiter';
import { headerIn, httpRequest, type PlatformNeutralRequest } from '../../http/http-request';
import { PUBLIC_ROUTE } from '../../http/public-route';
import { REQUIRED_ABILITY } from './route-metadata';

/** What a route demands, read from its decorators once instead of on every request. */
interface RouteAccess {
  readonly isPublic: boolean;
  readonly ability: string | undefined;
}

/**
 * Authenticates the root key (Authorization: Bearer wins over X-API-Key), then enforces its own
 * rate limit, the key's tenant binding (404) and the route's ability (403). Every authentication failure
 * raises the same Unauthorized, whatever the cause. Synchronous whenever the key is in the
 * directory (Nest then awaits nothing); a promise only when an unknown key makes it catch up.
 */
@Injectable()
export class RootKeyGuard implements CanActivate {
  private readonly limiter = new FixedWindowLimiter();
  private readonly routes = new WeakMap<object, RouteAccess>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(ROOT_KEY_DIRECTORY) private readonly rootKeys: RootKeyDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionRunner,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.routeAccess(context);
    if (route.isPublic) return true;
    const request = httpRequest(context);
    const presented = presentedKey(request);
    const hash = presented === undefined ? undefined : rootKeyHash(presented);
    if (presented === undefined || hash === undefined) throw new Unauthorized();
    const known = this.rootKeys.lookup(hash);
    if (known) return this.authorise(request, authenticated(known), route);
    // Only well-formed keys with a valid checksum get here, so junk costs no store read.
    return this.projections.catchUpNow({ streamPrefixes: ['rootkey-'] }).then(() => {
      const principal = authenticated(this.rootKeys.lookup(hash));
      return this.authorise(request, principal, route);
    });
  }

  private authorise(
    request: PlatformNeutralRequest,
    principal: AuthenticatableRootKey,
    route: RouteAccess,
  ): boolean {
    if (request.keyledger) request.keyledger.principal = principal;
    const { record } = principal;
    if (record.rateLimit) {
      const nowMs = this.clock.now().getTime();
      const decision = this.limiter.hit(record.rootKeyId, record.rateLimit, nowMs);
      if (!decision.allowed)
        throw new RateLimited(Math.max(1, Math.ceil((decision.resetAtMs - nowMs) / 1000)));
    }
    if (route.ability === undefined)
      throw new Error('Route declares neither @RequireAbility nor @PublicRoute');
    // The binding before the ability: another tenant's resources are 404 whatever the key may
    // do, so a 403 cannot tell a key that a tenant outside its binding exists (SPEC §4).
    const tenantId = request.params?.tenantId;
    if (tenantId !== undefined && record.tenants !== '*' && !record.tenants.includes(tenantId)) {
      throw new NotFound('Tenant not found');
    }
    if (!principal.abilities.grants(route.ability))
      throw new Forbidden(`Missing ability: ${route.ability}`);
    return true;
  }

  private routeAccess(context: ExecutionContext): RouteAccess {
    const handler = context.getHandler();
    let route = this.routes.get(handler);
    if (!route) {
      const targets = [handler, context.getClass()];
      route = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true,
        ability: this.reflector.getAllAndOverride<string | undefined>(REQUIRED_ABILITY, targets),
      };
      this.routes.set(handler, route);
    }
    return route;
  }
}

function presentedKey(request: PlatformNeutralRequest): string | undefined {
  const { headers } = request;
  const authorization = headerIn(headers, 'authorization');
  if (authorization !== undefined) {
    const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : undefined;
  }
  return headerIn(headers, 'x-api-key')?.trim();
}

/**
 * The SHA-256 of a well-formed root key (valid checksum), else undefined. Computed on every
 * request: remembering it by the presented text would keep root keys in plaintext in memory.
 */
function rootKeyHash(presented: string): string | undefined {
  return keyFamily(presented) === 'root' ? hashKey(presented) : undefined;
}

/** The same Unauthorized for an unknown key as for a revoked one. */
function authenticated(principal: AuthenticatableRootKey | undefined): AuthenticatableRootKey {
  if (!principal || principal.record.revokedAt !== null) throw new Unauthorized();
  return principal;
}
