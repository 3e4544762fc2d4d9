import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Ability } from '../domain/abilities';
import type { AuthenticatableRootKey } from '../read-models/root-key-directory.port';
import type { CommandContext } from '../../shared/command-context';
import { header, httpRequest, type PlatformNeutralRequest } from '../../http/http-request';

export const REQUIRED_ABILITY = 'keyledger:required-ability';

/** The root-key ability a route needs; every non-public route must declare one. */
export const RequireAbility = (ability: Ability) => SetMetadata(REQUIRED_ABILITY, ability);

/** The authenticated root key of the request. */
export const Principal = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatableRootKey =>
    principalOf(httpRequest(context)),
);

/** The root key the guard authenticated for `request` (a programming error on a public route). */
export function principalOf(request: PlatformNeutralRequest): AuthenticatableRootKey {
  const principal = request.keyledger?.principal as AuthenticatableRootKey | undefined;
  if (!principal) throw new Error('Principal requested on a route without authentication');
  return principal;
}

/** Who is acting and from where, for the events this request appends. */
export const RequestContext = createParamDecorator(
  (_: unknown, context: ExecutionContext): CommandContext => {
    const request = httpRequest(context);
    const state = request.keyledger;
    const principal = state?.principal as AuthenticatableRootKey | undefined;
    if (!state || !principal)
      throw new Error('RequestContext requested on a route without authentication');
    const userAgent = header(request, 'user-agent');
    return {
      actor: { type: 'root-key', id: principal.record.rootKeyId },
      requestId: state.requestId,
      ...(request.ip !== undefined ? { ip: request.ip } : {}),
      ...(userAgent !== undefined ? { userAgent: userAgent.slice(0, 512) } : {}),
    };
  },
);
