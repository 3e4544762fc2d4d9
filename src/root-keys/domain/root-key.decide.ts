import { rejectUnknownCommand } from '../../shared/decider';
import { Conflict, Forbidden, NotFound } from '../../shared/errors';
import { exceedsGrant, type Grantor } from './abilities';
import type { RootKeyCreated, RootKeyEvent } from './root-key.events';
import { assertValidRootKey } from './root-key-settings';
import type { RootKeyState } from './root-key.state';

export interface CreateRootKey {
  readonly type: 'CreateRootKey';
  readonly data: Omit<RootKeyCreated['data'], 'createdAt'> & {
    /** The calling root key's own grant (null for the CLI): it may not create a stronger key. */
    readonly grantor: Grantor | null;
  };
}

export interface RevokeRootKey {
  readonly type: 'RevokeRootKey';
  readonly data: {
    readonly rootKeyId: string;
    readonly reason: string | null;
    /** The calling root key's own grants: it may revoke only keys it could have made. */
    readonly grantor: Grantor | null;
  };
}

export type RootKeyCommand = CreateRootKey | RevokeRootKey;

/** decide(command, state, now) → events: pure; throws a DomainError when the command is refused. */
export function decideRootKey(
  command: RootKeyCommand,
  state: RootKeyState,
  now: Date,
): RootKeyEvent[] {
  switch (command.type) {
    case 'CreateRootKey': {
      if (state.exists)
        throw new Conflict('ROOT_KEY_EXISTS', 'A root key with this id already exists');
      const { grantor, ...data } = command.data;
      assertValidRootKey(data);
      const excess = grantor ? exceedsGrant(data, grantor) : undefined;
      if (excess !== undefined) throw new Forbidden(excess);
      return [{ type: 'RootKeyCreated', data: { ...data, createdAt: now.toISOString() } }];
    }
    case 'RevokeRootKey': {
      const { grantor } = command.data;
      // A key beyond the caller's own grant is answered like a missing one: no existence leak.
      if (!state.exists || (grantor && exceedsGrant(state, grantor) !== undefined)) {
        throw new NotFound('Root key not found');
      }
      if (state.revokedAt !== null)
        throw new Conflict('ROOT_KEY_ALREADY_REVOKED', 'The root key is already revoked');
      const { rootKeyId, reason } = command.data;
      return [
        { type: 'RootKeyRevoked', data: { rootKeyId, reason, revokedAt: now.toISOString() } },
      ];
    }
    default:
      return rejectUnknownCommand(command);
  }
}
