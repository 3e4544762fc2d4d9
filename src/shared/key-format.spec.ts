import { createHash } from 'node:crypto';
import {
  generateApiKey,
  generateRootKey,
  hashKey,
  KEY_SCANNER_PATTERN,
  keyFamily,
  keyHint,
  parseKey,
  ROOT_KEY_PREFIX,
  type IssuedKey,
  type KeyEnvironment,
  type KeyKind,
} from './key-format';
import { randomSecrets, type SecretGenerator } from './secrets';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SHAPES: ReadonlyArray<[KeyEnvironment, KeyKind, RegExp]> = [
  ['live', 'secret', /^kl_live_[0-9A-Za-z]{36}$/],
  ['test', 'secret', /^kl_test_[0-9A-Za-z]{36}$/],
  ['live', 'publishable', /^kl_pk_live_[0-9A-Za-z]{36}$/],
  ['test', 'publishable', /^kl_pk_test_[0-9A-Za-z]{36}$/],
];

/** The 30 secret characters of a key, whatever its family. */
const secretOf = (key: string): string => key.slice(key.lastIndexOf('_') + 1, -6);

describe('key format', () => {
  describe('issuing API keys', () => {
    it.each(SHAPES)('a %s %s key has the documented shape and parses back', (env, kind, shape) => {
      const { plaintext } = generateApiKey('kl', env, kind, randomSecrets);
      expect(plaintext).toMatch(shape);
      expect(parseKey(plaintext)).toEqual({ family: 'api', prefix: 'kl', environment: env, kind });
      expect(keyFamily(plaintext)).toBe('api');
    });

    it.each(['ab', 'acme42', 'abcdefghijk9', ROOT_KEY_PREFIX])(
      'keeps the tenant prefix %j, even one that looks like the root prefix',
      (prefix) => {
        const { plaintext } = generateApiKey(prefix, 'test', 'publishable', randomSecrets);
        expect(parseKey(plaintext)).toEqual({
          family: 'api',
          prefix,
          environment: 'test',
          kind: 'publishable',
        });
      },
    );

    it.each(['', 'k', 'Kl', '1kl', 'kl_x', 'k-l', 'abcdefghijklm', 'kl '])(
      'refuses the prefix %j',
      (prefix) => {
        expect(() => generateApiKey(prefix, 'live', 'secret', randomSecrets)).toThrow(TypeError);
      },
    );
  });

  describe('issuing root keys', () => {
    it('gives klr_ and 36 base62 chars, parsed as a root key', () => {
      const { plaintext } = generateRootKey(randomSecrets);
      expect(plaintext).toMatch(/^klr_[0-9A-Za-z]{36}$/);
      expect(parseKey(plaintext)).toEqual({ family: 'root' });
      expect(keyFamily(plaintext)).toBe('root');
    });
  });

  describe('what is stored', () => {
    it('hash is the lowercase SHA-256 hex of the plaintext', () => {
      const issued = generateApiKey('kl', 'live', 'secret', randomSecrets);
      const expected = createHash('sha256').update(issued.plaintext).digest('hex');
      expect(issued.hash).toBe(expected);
      expect(hashKey(issued.plaintext)).toBe(expected);
      expect(issued.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('hint shows the part before the secret, 4 leading and 4 trailing chars', () => {
      const issued = generateApiKey('kl', 'live', 'publishable', randomSecrets);
      const body = issued.plaintext.slice('kl_pk_live_'.length);
      expect(issued.hint).toBe(`kl_pk_live_${body.slice(0, 4)}…${body.slice(-4)}`);
      expect(keyHint(issued.plaintext)).toBe(issued.hint);
      expect(generateRootKey(randomSecrets).hint).toMatch(/^klr_[0-9A-Za-z]{4}…[0-9A-Za-z]{4}$/);
    });

    it('hint never contains the middle of the secret', () => {
      for (let i = 0; i < 50; i++) {
        const issued: IssuedKey =
          i % 2
            ? generateRootKey(randomSecrets)
            : generateApiKey('kl', 'test', 'secret', randomSecrets);
        const middle = secretOf(issued.plaintext).slice(4);
        for (let at = 0; at + 4 <= middle.length; at++) {
          expect(issued.hint).not.toContain(middle.slice(at, at + 4));
        }
      }
    });

    it('hint of something too short to be a key reveals nothing after the last underscore', () => {
      expect(keyHint('kl_live_abcdefgh')).toBe('kl_live_…');
    });
  });

  describe('parsing', () => {
    const valid = generateApiKey('kl', 'live', 'secret', randomSecrets).plaintext;

    it.each([
      ['empty', ''],
      ['one char short', valid.slice(0, -1)],
      ['one char long', `${valid}0`],
      ['very long', `${valid}${'a'.repeat(100_000)}`],
      ['unknown environment', `kl_prod_${valid.slice(-36)}`],
      ['pk without environment', `kl_pk_${valid.slice(-36)}`],
      ['uppercase prefix', `KL${valid.slice(2)}`],
      ['non-base62 char', `${valid.slice(0, 10)}-${valid.slice(11)}`],
      ['non-ASCII char', `${valid.slice(0, 10)}é${valid.slice(11)}`],
      ['surrounding whitespace', ` ${valid}`],
      ['root key with another prefix', `abc_${valid.slice(-36)}`],
      ['no underscore', valid.replace(/_/g, '')],
      ['extra segment', `kl_x_live_${valid.slice(-36)}`],
    ])('rejects %s', (_label, candidate) => {
      expect(parseKey(candidate)).toBeUndefined();
      expect(keyFamily(candidate)).toBeUndefined();
    });

    it('rejects a well-shaped key whose checksum was made up', () => {
      expect(parseKey(`kl_live_${'A'.repeat(36)}`)).toBeUndefined();
      expect(parseKey(`klr_${'0'.repeat(36)}`)).toBeUndefined();
    });

    it('rejects every single-character change of generated keys', () => {
      const keys = Array.from({ length: 12 }, (_, i) =>
        i % 3 === 0
          ? generateRootKey(randomSecrets).plaintext
          : generateApiKey(
              'acme',
              i % 2 ? 'live' : 'test',
              i % 3 === 1 ? 'secret' : 'publishable',
              randomSecrets,
            ).plaintext,
      );
      let attempts = 0;
      for (const key of keys) {
        for (let at = 0; at < key.length; at++) {
          for (const replacement of `${BASE62}_`) {
            if (replacement === key[at]) continue;
            const mistyped = key.slice(0, at) + replacement + key.slice(at + 1);
            attempts++;
            if (parseKey(mistyped) !== undefined || keyFamily(mistyped) !== undefined) {
              throw new Error(`accepted ${mistyped}`);
            }
          }
        }
      }
      expect(attempts).toBeGreaterThan(12 * 40 * 62);
    });
  });

  describe('secret scanning pattern', () => {
    it('matches every key format, also inside surrounding text', () => {
      const keys = [
        generateApiKey('kl', 'live', 'secret', randomSecrets).plaintext,
        generateApiKey('acme', 'test', 'publishable', randomSecrets).plaintext,
        generateRootKey(randomSecrets).plaintext,
      ];
      for (const key of keys) {
        expect(KEY_SCANNER_PATTERN.exec(`API_KEY="${key}"\n`)?.[0]).toBe(key);
      }
    });

    it.each([
      'just some text about kl_live keys',
      `kl_live_${'a'.repeat(35)}`,
      `kl_prod_${'a'.repeat(36)}`,
      `kl_live_${'a'.repeat(37)}`,
      'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'uuid 1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed',
    ])('does not match %j', (text) => {
      expect(KEY_SCANNER_PATTERN.test(text)).toBe(false);
    });
  });

  describe('the secret generator', () => {
    /** Gives `byteAt(0)`, `byteAt(1)`, … across calls. */
    const scripted = (byteAt: (i: number) => number): SecretGenerator => {
      let next = 0;
      return { randomBytes: (length) => Uint8Array.from({ length }, () => byteAt(next++)) };
    };

    it('is where the secret comes from: the same bytes give the same key', () => {
      const first = generateApiKey(
        'kl',
        'live',
        'secret',
        scripted((i) => i),
      );
      const again = generateApiKey(
        'kl',
        'live',
        'secret',
        scripted((i) => i),
      );
      expect(secretOf(first.plaintext)).toBe(BASE62.slice(0, 30));
      expect(again).toEqual(first);
      expect(parseKey(first.plaintext)).toEqual({
        family: 'api',
        prefix: 'kl',
        environment: 'live',
        kind: 'secret',
      });
      expect(secretOf(generateRootKey(scripted((i) => 61 - (i % 62))).plaintext)).toBe(
        [...BASE62].reverse().join('').slice(0, 30),
      );
    });

    it('skips bytes from 248 up (they would bias the draw), over as many draws as needed', () => {
      const bytes = scripted((i) => (i % 4 === 3 ? i % 62 : 248 + (i % 8)));
      const expected = Array.from({ length: 30 }, (_, k) => BASE62[(4 * k + 3) % 62]).join('');
      expect(secretOf(generateRootKey(bytes).plaintext)).toBe(expected);
    });

    it('refuses, rather than loops on, a generator that only gives unusable bytes', () => {
      let calls = 0;
      const broken: SecretGenerator = {
        randomBytes: (length) => {
          calls++;
          return new Uint8Array(length).fill(255);
        },
      };
      expect(() => generateRootKey(broken)).toThrow(/too few usable bytes/);
      expect(calls).toBeGreaterThan(1);
    });
  });

  describe('randomness', () => {
    it('never repeats a secret', () => {
      const secrets = new Set(
        Array.from({ length: 1000 }, () => secretOf(generateRootKey(randomSecrets).plaintext)),
      );
      expect(secrets.size).toBe(1000);
    });

    it('draws secret characters uniformly from base62, without modulo bias', () => {
      const counts = new Map<string, number>([...BASE62].map((c) => [c, 0]));
      let total = 0;
      for (let i = 0; i < 3000; i++) {
        for (const c of secretOf(generateApiKey('kl', 'live', 'secret', randomSecrets).plaintext)) {
          counts.set(c, (counts.get(c) ?? 0) + 1);
          total++;
        }
      }
      expect(counts.size).toBe(62);
      const expected = total / 62; // ≈ 1452, σ ≈ 38: bounds at ±10σ cannot flake
      for (const count of counts.values()) {
        expect(count).toBeGreaterThan(expected - 380);
        expect(count).toBeLessThan(expected + 380);
      }
      // `byte % 62` would favour the first 8 chars (5/256 instead of 4/256 each): ≈ 15.6%
      // of all chars instead of 12.9%. The threshold sits 12σ above the unbiased share.
      const firstEight = [...BASE62.slice(0, 8)].reduce((sum, c) => sum + (counts.get(c) ?? 0), 0);
      expect(firstEight / total).toBeLessThan(0.1425);
    });
  });
});
