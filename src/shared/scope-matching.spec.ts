import { compileScopes, SCOPE_PRESETS, scopeGrants } from './scope-matching';

/** [granted, required, expected] — checked through both entry points, which must agree. */
const RULES: ReadonlyArray<[string, string, boolean]> = [
  // a:b grants a:b, and nothing else
  ['keys:read', 'keys:read', true],
  ['keys:read', 'keys:write', false],
  ['keys:read', 'usage:read', false],
  ['keys:read', 'keys', false],
  ['keys:read', 'keys:read:own', false],
  ['keys:read', 'Keys:read', false],
  // a:* grants every a:x
  ['keys:*', 'keys:read', true],
  ['keys:*', 'keys:delete', true],
  ['keys:*', 'usage:read', false],
  ['keys:*', 'keys', false],
  ['keys:*', 'keys:', false],
  ['keys:*', 'keys:read:own', false],
  // *:b grants every x:b
  ['*:read', 'keys:read', true],
  ['*:read', 'audit:read', true],
  ['*:read', 'keys:write', false],
  ['*:read', ':read', false],
  ['*:read', 'read', false],
  // * grants everything
  ['*', 'keys:read', true],
  ['*', 'root-keys:write', true],
  ['*', 'anything', true],
  ['*', 'a:b:c:d', true],
  ['*', 'keys:*', true],
  // generalised: same segment count, a * segment matches exactly one segment
  ['a:*:c', 'a:b:c', true],
  ['a:*:c', 'a:b:d', false],
  ['a:*:c', 'a:b:x:c', false],
  ['*:*', 'keys:read', true],
  ['*:*', 'keys', false],
  ['*:*', 'a:b:c', false],
  ['a:b:*', 'a:b:c', true],
  ['a:b:*', 'a:b', false],
  // a star inside a segment is literal
  ['a*:read', 'abc:read', false],
  ['a*:read', 'a*:read', true],
  ['keys:re*', 'keys:read', false],
  ['**', 'keys', false],
  // a wildcard in a requirement is not a wildcard
  ['keys:read', 'keys:*', false],
  ['keys:read', '*', false],
  ['keys:read', '*:read', false],
  ['keys:*', 'keys:*', true],
  ['*:*', 'keys:*', true],
  ['*:read', '*:read', true],
  ['*:read', '*:*', false],
];

describe('scope matching', () => {
  describe.each(RULES)('granted %j, required %j', (granted, required, expected) => {
    it(`scopeGrants → ${expected}`, () => {
      expect(scopeGrants(granted, required)).toBe(expected);
    });

    it(`compileScopes([granted]).grants → ${expected}`, () => {
      expect(compileScopes([granted]).grants(required)).toBe(expected);
    });
  });

  describe('a compiled set of scopes', () => {
    const matcher = compileScopes(['keys:read', 'usage:*', '*:export']);

    it('grants what any one of its scopes grants', () => {
      expect(matcher.grants('keys:read')).toBe(true);
      expect(matcher.grants('usage:write')).toBe(true);
      expect(matcher.grants('audit:export')).toBe(true);
      expect(matcher.grants('keys:write')).toBe(false);
    });

    it('lists missing scopes in the order required, each once', () => {
      expect(
        matcher.missing(['keys:write', 'keys:read', 'audit:read', 'keys:write', 'usage:read']),
      ).toEqual(['keys:write', 'audit:read']);
    });

    it('has nothing missing when everything is granted, or nothing is required', () => {
      expect(matcher.missing(['keys:read', 'usage:read'])).toEqual([]);
      expect(matcher.missing([])).toEqual([]);
    });

    it('grants nothing when empty', () => {
      const none = compileScopes([]);
      expect(none.grants('keys:read')).toBe(false);
      expect(none.grants('*')).toBe(false);
      expect(none.missing(['a', 'a', 'b'])).toEqual(['a', 'b']);
    });

    it('grants everything when it contains *, alongside anything else', () => {
      const all = compileScopes(['keys:read', '*']);
      expect(all.grants('audit:read')).toBe(true);
      expect(all.missing(['x', 'y:z'])).toEqual([]);
    });

    it('is not affected by later changes to the array it was compiled from', () => {
      const granted = ['keys:read'];
      const compiled = compileScopes(granted);
      granted.push('*');
      expect(compiled.grants('audit:read')).toBe(false);
    });
  });

  describe('presets', () => {
    it('are the scopes SPEC §2 names', () => {
      expect(SCOPE_PRESETS).toEqual({
        'read-only': ['*:read'],
        standard: ['*:read', '*:write'],
        full: ['*'],
      });
    });

    it('read-only grants reads only; standard adds writes; full grants everything', () => {
      const required = ['keys:read', 'keys:write', 'keys:delete'];
      expect(compileScopes(SCOPE_PRESETS['read-only']).missing(required)).toEqual([
        'keys:write',
        'keys:delete',
      ]);
      expect(compileScopes(SCOPE_PRESETS.standard).missing(required)).toEqual(['keys:delete']);
      expect(compileScopes(SCOPE_PRESETS.full).missing(required)).toEqual([]);
    });

    it('cannot be modified by a caller', () => {
      expect(Object.isFrozen(SCOPE_PRESETS)).toBe(true);
      expect(Object.isFrozen(SCOPE_PRESETS.standard)).toBe(true);
    });
  });
});
