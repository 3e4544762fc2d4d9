import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Ability } from '../domain/abilities';
import type { AuthenticatableRootKey } from '../read-models/root-key-directory.port';
import type { CommandContext } from '../../shared/command-context';
import {
  httpRequest,
  recordableUserAgent,
  type PlatformNeutralRequest,
} from '../../http/http-request';

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

/**
 * Who is acting and from where, for the events this request appends. Everything here that a
 * caller chose is made safe to keep forever: the request id is one the request guard accepted
 * (never a key), the user agent is scrubbed and cut, the IP is the socket's.
 */
export const RequestContext = createParamDecorator(
  (_: unknown, context: ExecutionContext): CommandContext => {
    const request = httpRequest(context);
    const state = request.keyledger;
    const principal = state?.principal as AuthenticatableRootKey | undefined;
    if (!state || !principal)
      throw new Error('RequestContext requested on a route without authentication');
    const userAgent = recordableUserAgent(request);
    return {
      actor: { type: 'root-key', id: principal.record.rootKeyId },
      requestId: state.requestId,
      ...(request.ip !== undefined ? { ip: request.ip } : {}),
      ...(userAgent !== undefined ? { userAgent } : {}),
    };
  },
);
