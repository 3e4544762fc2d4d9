import { generateApiKey, generateRootKey, type IssuedKey } from './key-format';
import { containsKey, REDACTED_KEY, redactKeys } from './key-redaction';
import { randomSecrets } from './secrets';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** One key of every family and shape, freshly generated. */
function everyKind(): Array<[string, string]> {
  const issued: Array<[string, IssuedKey]> = [
    ['secret live', generateApiKey('kl', 'live', 'secret', randomSecrets)],
    ['secret test', generateApiKey('acme', 'test', 'secret', randomSecrets)],
    ['publishable live', generateApiKey('kl', 'live', 'publishable', randomSecrets)],
    ['publishable test', generateApiKey('shop42', 'test', 'publishable', randomSecrets)],
    ['12-char prefix', generateApiKey('abcdefghijkl', 'live', 'secret', randomSecrets)],
    [
      "the root keys' prefix as a tenant prefix",
      generateApiKey('klr', 'live', 'secret', randomSecrets),
    ],
    ['root', generateRootKey(randomSecrets)],
  ];
  return issued.map(([label, key]) => [label, key.plaintext]);
}

/** The key with one checksum char changed: same shape, wrong checksum. */
function wrongChecksum(key: string): string {
  const last = key[key.length - 1];
  return key.slice(0, -1) + BASE62[(BASE62.indexOf(last) + 1) % 62];
}

describe('finding keys in text', () => {
  describe.each(everyKind())('a %s key', (_, key) => {
    it('is found alone, and replaced by the marker', () => {
      expect(containsKey(key)).toBe(true);
      expect(redactKeys(key)).toBe(REDACTED_KEY);
    });

    it.each([
      ['quoted in a message', (k: string) => `'${k}' is not a valid IP address or CIDR range`],
      ['as a property name', (k: string) => `property ${k} should not exist`],
      ['after Bearer', (k: string) => `Authorization: Bearer ${k}`],
      ['in a query string', (k: string) => `/v1/x?api_key=${k}&limit=5`],
      ['in JSON', (k: string) => JSON.stringify({ [k]: [1, k] })],
      ['in a JSON array', (k: string) => JSON.stringify(['10.0.0.1', k])],
      ['glued to letters on both sides', (k: string) => `abc${k}xyz`],
      ['glued to digits and underscores', (k: string) => `9_${k}_9`],
      ['in a user agent', (k: string) => `curl/8.5 (${k}) libcurl`],
      ['twice', (k: string) => `${k},${k}`],
    ])('is found %s, and only it is replaced', (_where, embed) => {
      const text = embed(key);
      expect(containsKey(text)).toBe(true);
      const redacted = redactKeys(text);
      expect(redacted.includes(key)).toBe(false);
      expect(redacted).toBe(text.split(key).join(REDACTED_KEY));
    });

    it('is left alone when its checksum is wrong (a near miss)', () => {
      const nearMiss = wrongChecksum(key);
      expect(containsKey(nearMiss)).toBe(false);
      expect(redactKeys(`x ${nearMiss} y`)).toBe(`x ${nearMiss} y`);
    });

    it('is left alone when cut short or changed in its secret', () => {
      expect(containsKey(key.slice(0, -1))).toBe(false);
      const secretAt = key.lastIndexOf('_') + 1;
      const changed =
        key.slice(0, secretAt) + (key[secretAt] === 'A' ? 'B' : 'A') + key.slice(secretAt + 1);
      expect(containsKey(changed)).toBe(false);
    });
  });

  it('finds every key of a text holding several families', () => {
    const keys = everyKind().map(([, key]) => key);
    const text = keys.join(' and ');
    expect(redactKeys(text)).toBe(keys.map(() => REDACTED_KEY).join(' and '));
  });

  it('finds keys glued to each other, each whole', () => {
    const keys = everyKind().map(([, key]) => key);
    expect(redactKeys(keys.join(''))).toBe(REDACTED_KEY.repeat(keys.length));
    expect(redactKeys(keys.join('_'))).toBe(keys.map(() => REDACTED_KEY).join('_'));
  });

  it('finds a key that follows a near miss of the same shape', () => {
    const key = generateApiKey('kl', 'live', 'secret', randomSecrets).plaintext;
    const text = `${wrongChecksum(key)} ${key}`;
    expect(redactKeys(text)).toBe(`${wrongChecksum(key)} ${REDACTED_KEY}`);
  });

  it('returns text without keys unchanged, the very same string', () => {
    for (const text of [
      '',
      'Missing ability: keys:write',
      'kl_live_short',
      'klr_' + 'A'.repeat(36),
      'kl_live_' + '0'.repeat(36),
      'snake_case_names_live_test_everywhere',
      '_'.repeat(200),
    ]) {
      expect(containsKey(text)).toBe(false);
      expect(redactKeys(text)).toBe(text);
    }
  });

  it('scans a long text quickly, with or without underscores', () => {
    const key = generateRootKey(randomSecrets).plaintext;
    const plain = 'a'.repeat(1_000_000);
    const underscored = 'ab_live_'.repeat(125_000) + key;
    const started = performance.now();
    expect(containsKey(plain)).toBe(false);
    expect(containsKey(underscored)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
