import { scopeGrants } from '../../shared/scope-matching';

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

/** What a root key holds: abilities (with the scope wildcards) over the tenants it is bound to. */
export interface Grant {
  readonly abilities: readonly string[];
  readonly tenants: TenantBinding;
}

/** Who is asking: the caller's own grant, to refuse creating a root key stronger than itself. */
export type Grantor = Grant;

/** Whether an ability as written ('keys:*', '*:read', '*') grants at least one known ability. */
export function isKnownAbility(ability: string): boolean {
  return ability === '*' || ABILITIES.some((known) => scopeGrants(ability, known));
}

/**
 * A root key can hand out (and take back) only what it holds itself: no escalation of abilities
 * or tenants. Returns what exceeds the grant, or undefined when nothing does.
 */
export function exceedsGrant(wanted: Grant, grantor: Grantor): string | undefined {
  for (const ability of ABILITIES) {
    const asked = wanted.abilities.some((a) => scopeGrants(a, ability));
    const held = grantor.abilities.some((a) => scopeGrants(a, ability));
    if (asked && !held) return `Missing ability: ${ability}`;
  }
  if (grantor.tenants === '*') return undefined;
  const held = grantor.tenants;
  if (wanted.tenants === '*' || wanted.tenants.some((t) => !held.includes(t))) {
    return 'Cannot grant access to tenants outside your own binding';
  }
  return undefined;
}
