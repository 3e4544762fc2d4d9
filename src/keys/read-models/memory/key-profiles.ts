import type { ApiKeyFields, RateLimitSetting } from '../../domain/api-key.state';
import type { KeyEnvironment, KeyKind } from '../../../shared/key-format';
import {
  compileIpAllowList,
  compileOriginAllowList,
  type AllowList,
} from '../../domain/restrictions';
import { compileScopes, type ScopeMatcher } from '../../../shared/scope-matching';

/**
 * The settings many keys share — tenant, environment, kind, scopes, rate limit, allow-lists,
 * creator — held once for all of them, with what verification compiles from them.
 */
export interface KeyProfile {
  readonly tenantId: string;
  readonly environment: KeyEnvironment;
  readonly kind: KeyKind;
  readonly scopes: readonly string[];
  readonly rateLimit: RateLimitSetting | null;
  readonly allowedIps: readonly string[] | null;
  readonly allowedOrigins: readonly string[] | null;
  readonly createdBy: string;
  readonly scopeMatcher: ScopeMatcher;
  readonly ips: AllowList | null;
  readonly origins: AllowList | null;
}

export type ProfileFields = Pick<
  ApiKeyFields,
  | 'tenantId'
  | 'environment'
  | 'kind'
  | 'scopes'
  | 'rateLimit'
  | 'allowedIps'
  | 'allowedOrigins'
  | 'createdBy'
>;

/** Interns profiles: keys with the same settings get the same profile, by number. */
export class KeyProfiles {
  private readonly profiles: KeyProfile[] = [];
  private readonly numbers = new Map<string, number>();
  /** The last profile interned: keys made one after another often share their settings. */
  private last = -1;

  get(profile: number): KeyProfile {
    return this.profiles[profile];
  }

  get size(): number {
    return this.profiles.length;
  }

  /** The number of the profile with these settings, made on first sight. */
  intern(fields: ProfileFields): number {
    if (this.last >= 0 && sameSettings(this.profiles[this.last], fields)) return this.last;
    const identity = identityOf(fields);
    let number = this.numbers.get(identity);
    if (number === undefined) {
      number = this.profiles.length;
      this.profiles.push(compile(fields));
      this.numbers.set(identity, number);
    }
    this.last = number;
    return number;
  }
}

function sameSettings(profile: KeyProfile, fields: ProfileFields): boolean {
  return (
    profile.tenantId === fields.tenantId &&
    profile.environment === fields.environment &&
    profile.kind === fields.kind &&
    profile.createdBy === fields.createdBy &&
    sameList(profile.scopes, fields.scopes) &&
    sameList(profile.allowedIps, fields.allowedIps) &&
    sameList(profile.allowedOrigins, fields.allowedOrigins) &&
    (profile.rateLimit === null
      ? fields.rateLimit === null
      : fields.rateLimit !== null &&
        profile.rateLimit.limit === fields.rateLimit.limit &&
        profile.rateLimit.windowSeconds === fields.rateLimit.windowSeconds)
  );
}

function sameList(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function compile(fields: ProfileFields): KeyProfile {
  const scopes = frozen(fields.scopes);
  const allowedIps = fields.allowedIps && frozen(fields.allowedIps);
  const allowedOrigins = fields.allowedOrigins && frozen(fields.allowedOrigins);
  const { rateLimit } = fields;
  return Object.freeze({
    tenantId: fields.tenantId,
    environment: fields.environment,
    kind: fields.kind,
    scopes,
    rateLimit:
      rateLimit &&
      Object.freeze({ limit: rateLimit.limit, windowSeconds: rateLimit.windowSeconds }),
    allowedIps,
    allowedOrigins,
    createdBy: fields.createdBy,
    scopeMatcher: compileScopes(scopes),
    ips: allowedIps && compileIpAllowList(allowedIps),
    origins: allowedOrigins && compileOriginAllowList(allowedOrigins),
  });
}

function frozen(values: readonly string[]): readonly string[] {
  return Object.freeze([...values]);
}

/** Unambiguous text for a set of settings: every part is prefixed with its length. */
function identityOf(fields: ProfileFields): string {
  const { rateLimit } = fields;
  return (
    part(fields.tenantId) +
    part(fields.environment) +
    part(fields.kind) +
    list(fields.scopes) +
    (rateLimit ? `${rateLimit.limit}/${rateLimit.windowSeconds};` : '-;') +
    list(fields.allowedIps) +
    list(fields.allowedOrigins) +
    part(fields.createdBy)
  );
}

function part(text: string): string {
  return `${text.length}:${text}`;
}

function list(values: readonly string[] | null): string {
  if (values === null) return '-;';
  let text = `${values.length}[`;
  for (const value of values) text += part(value);
  return text;
}
