/**
 * SPEC §2: one matching rule for API-key scopes and root-key abilities.
 *
 * A granted scope is split on ':'. `*` on its own grants everything. Otherwise the required
 * scope must have the same number of segments, and each granted segment must either equal
 * the required one or be exactly `*`, which matches any one non-empty segment. So `a:*`
 * grants `a:read` but not `a:read:own`, and `a*:read` is a literal scope, not a wildcard.
 *
 * Only the granted side has wildcards: a required `a:*` is the literal text `a:*`, granted
 * by `a:*`, `*:*` or `*` but not by `a:read` — asking for a wildcard must not be a way to
 * get one.
 */
export const SCOPE_PRESETS: Readonly<Record<'read-only' | 'standard' | 'full', readonly string[]>> =
  Object.freeze({
    'read-only': Object.freeze(['*:read']),
    standard: Object.freeze(['*:read', '*:write']),
    full: Object.freeze(['*']),
  });

export interface ScopeMatcher {
  grants(required: string): boolean;
  /** The required scopes not granted, in the order given, each once. */
  missing(required: readonly string[]): string[];
}

const GRANT_ALL = '*';
const SEPARATOR = ':';
const WILDCARD_SEGMENT = '*';

/** Segments of a granted scope with at least one wildcard segment; `null` marks a wildcard. */
type WildcardPattern = readonly (string | null)[];

export function scopeGrants(granted: string, required: string): boolean {
  if (granted === GRANT_ALL || granted === required) return true;
  const pattern = toWildcardPattern(granted);
  return pattern !== undefined && matchesPattern(pattern, required);
}

/** Compiled once at write/projection time so that verification does no parsing. */
export function compileScopes(granted: readonly string[]): ScopeMatcher {
  const grantsAll = granted.includes(GRANT_ALL);
  const exact = new Set<string>();
  const patterns: WildcardPattern[] = [];
  for (const scope of granted) {
    const pattern = toWildcardPattern(scope);
    if (pattern === undefined) exact.add(scope);
    else patterns.push(pattern);
  }
  const grants = (required: string): boolean =>
    grantsAll ||
    exact.has(required) ||
    patterns.some((pattern) => matchesPattern(pattern, required));
  return {
    grants,
    missing(required) {
      const seen = new Set<string>();
      const result: string[] = [];
      for (const scope of required) {
        if (seen.has(scope)) continue;
        seen.add(scope);
        if (!grants(scope)) result.push(scope);
      }
      return result;
    },
  };
}

/** undefined when the scope has no wildcard segment (then it only grants itself). */
function toWildcardPattern(granted: string): WildcardPattern | undefined {
  if (!granted.includes(WILDCARD_SEGMENT)) return undefined;
  const segments = granted.split(SEPARATOR);
  if (!segments.includes(WILDCARD_SEGMENT)) return undefined;
  return segments.map((segment) => (segment === WILDCARD_SEGMENT ? null : segment));
}

/** Walks `required` segment by segment without splitting it (this runs on every verify). */
function matchesPattern(pattern: WildcardPattern, required: string): boolean {
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const isLast = i === pattern.length - 1;
    const separatorAt = required.indexOf(SEPARATOR, start);
    if (isLast ? separatorAt !== -1 : separatorAt === -1) return false;
    const end = isLast ? required.length : separatorAt;
    const segment = pattern[i];
    if (segment === null) {
      if (end === start) return false;
    } else if (end - start !== segment.length || !required.startsWith(segment, start)) {
      return false;
    }
    start = end + 1;
  }
  return true;
}
