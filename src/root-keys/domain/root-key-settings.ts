import { ValidationFailed, type ValidationDetail } from '../../shared/errors';
import { TENANT_ID_PATTERN } from '../../shared/tenant-id';
import { isKnownAbility } from './abilities';
import type { RootKeyCreated } from './root-key.events';

/** What a new root key is given; throws one ValidationFailed listing every problem. */
export function assertValidRootKey(
  data: Pick<RootKeyCreated['data'], 'name' | 'abilities' | 'tenants' | 'rateLimit'>,
): void {
  const problems: ValidationDetail[] = [];
  if (data.name.trim().length === 0 || data.name.length > 100) {
    problems.push({ field: 'name', message: 'name must be 1 to 100 characters' });
  }
  if (data.abilities.length === 0)
    problems.push({ field: 'abilities', message: 'at least one ability is required' });
  data.abilities.forEach((ability, i) => {
    if (!isKnownAbility(ability))
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
