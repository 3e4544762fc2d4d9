import {
  Conflict,
  Forbidden,
  NotFound,
  ValidationFailed,
  type ValidationDetail,
} from '../../shared/errors';
import { asDomainEvent, type StreamDecider } from '../../event-store/write-path/stream-decider';
import { scopeGrants } from '../../shared/scope-matching';
import type { RateLimitSetting } from '../../shared/fixed-window-limiter';
import { TENANT_ID_PATTERN } from '../../shared/tenant-id';

/** SPEC §2: what a root key may be allowed to do. */
export const ABILITIES = [
  'tenants:read',
  'tenants:write',
  'keys:read',
  'keys:write',
  'keys:delete',
  'keys:verify',
  'usage:read',
  'usage:write',
  'audit:read',
  'root-keys:write',
] as const;
export type Ability = (typeof ABILITIES)[number];

/** `'*'` or a list of tenant ids. */
export type TenantBinding = '*' | readonly string[];

export interface RootKeyCreated {
  readonly type: 'RootKeyCreated';
  readonly data: {
    readonly rootKeyId: string;
    readonly name: string;
    readonly abilities: readonly string[];
    readonly tenants: TenantBinding;
    readonly rateLimit: RateLimitSetting | null;
    readonly keyHash: string;
    readonly hint: string;
    readonly createdAt: string;
    readonly createdBy: string;
  };
}

export interface RootKeyRevoked {
  readonly type: 'RootKeyRevoked';
  readonly data: {
    readonly rootKeyId: string;
    readonly reason: string | null;
    readonly revokedAt: string;
  };
}

export type RootKeyEvent = RootKeyCreated | RootKeyRevoked;

export type RootKeyState =
  | { readonly exists: false }
  | ({ readonly exists: true; readonly revokedAt: string | null } & RootKeyCreated['data']);

export const initialRootKeyState: RootKeyState = { exists: false };

export const rootKeyStream = (rootKeyId: string): string => `rootkey-${rootKeyId}`;

/** Who is asking: the caller's own grants, to refuse creating a root key stronger than itself. */
export interface Grantor {
  readonly abilities: readonly string[];
  readonly tenants: TenantBinding;
}

export interface CreateRootKey {
  readonly type: 'CreateRootKey';
  readonly data: Omit<RootKeyCreated['data'], 'createdAt'> & { readonly grantor: Grantor | null };
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

export function evolveRootKey(state: RootKeyState, event: RootKeyEvent): RootKeyState {
  switch (event.type) {
    case 'RootKeyCreated':
      return { exists: true, revokedAt: null, ...event.data };
    case 'RootKeyRevoked':
      return state.exists ? { ...state, revokedAt: event.data.revokedAt } : state;
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

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
    default: {
      const unknownCommand: never = command;
      return unknownCommand;
    }
  }
}

function assertValidRootKey(data: Omit<RootKeyCreated['data'], 'createdAt'>): void {
  const problems: ValidationDetail[] = [];
  if (data.name.trim().length === 0 || data.name.length > 100) {
    problems.push({ field: 'name', message: 'name must be 1 to 100 characters' });
  }
  if (data.abilities.length === 0)
    problems.push({ field: 'abilities', message: 'at least one ability is required' });
  data.abilities.forEach((ability, i) => {
    const known = ability === '*' || ABILITIES.some((a) => scopeGrants(ability, a));
    if (!known)
      problems.push({ field: `abilities[${i}]`, message: `'${ability}' grants no known ability` });
  });
  if (data.tenants !== '*') {
    if (data.tenants.length === 0)
      problems.push({ field: 'tenants', message: "tenants must be '*' or a non-empty list" });
    data.tenants.forEach((t, i) => {
      if (!TENANT_ID_PATTERN.test(t))
        problems.push({ field: `tenants[${i}]`, message: `'${t}' is not a tenant id` });
    });
  }
  if (
    data.rateLimit &&
    (!Number.isInteger(data.rateLimit.limit) ||
      data.rateLimit.limit < 1 ||
      !Number.isInteger(data.rateLimit.windowSeconds) ||
      data.rateLimit.windowSeconds < 1)
  ) {
    problems.push({
      field: 'rateLimit',
      message: 'rateLimit needs a positive integer limit and windowSeconds',
    });
  }
  if (problems.length > 0) throw new ValidationFailed('Invalid root key', problems);
}

/**
 * A root key can hand out (and take back) only what it holds itself: no escalation of abilities
 * or tenants. Returns what exceeds the grant, or undefined when nothing does.
 */
function exceedsGrant(
  data: Pick<RootKeyCreated['data'], 'abilities' | 'tenants'>,
  grantor: Grantor,
): string | undefined {
  for (const ability of ABILITIES) {
    const wanted = data.abilities.some((a) => scopeGrants(a, ability));
    const held = grantor.abilities.some((a) => scopeGrants(a, ability));
    if (wanted && !held) return `Missing ability: ${ability}`;
  }
  if (grantor.tenants === '*') return undefined;
  const held = grantor.tenants;
  if (data.tenants === '*' || data.tenants.some((t) => !held.includes(t))) {
    return 'Cannot grant access to tenants outside your own binding';
  }
  return undefined;
}

export const rootKeyDecider: StreamDecider<RootKeyState, RootKeyCommand> = {
  initial: initialRootKeyState,
  evolve: (state, event) => evolveRootKey(state, asDomainEvent<RootKeyEvent>(event)),
  decide: decideRootKey,
};
