import { ValidationFailed } from '../shared/errors';
import { generateApiKey, generateRootKey } from '../shared/key-format';
import { randomSecrets } from '../shared/secrets';
import { refuseKeyInQuery } from './query-credentials';

/** The field the 400 names, or undefined when the URL is let through. */
function refusedField(url: string): string | undefined {
  try {
    refuseKeyInQuery(url);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailed);
    return (error as ValidationFailed).details?.[0]?.field;
  }
}

describe('refuseKeyInQuery', () => {
  const key = generateApiKey('kl', 'test', 'publishable', randomSecrets).plaintext;
  const rootKey = generateRootKey(randomSecrets).plaintext;

  it.each([
    ['api_key', 'api_key'],
    ['APIKEY', 'APIKEY'],
    ['api-key', 'api-key'],
    ['Api_Key', 'Api_Key'],
    ['x-api-key', 'x-api-key'],
    ['key', 'key'],
    ['TOKEN', 'TOKEN'],
    ['access_token', 'access_token'],
    ['accessToken', 'accessToken'],
    ['api_key[]', 'api_key'],
    ['api_key%5B%5D', 'api_key'],
    ['token[0]', 'token'],
    ['api%5Fkey', 'api_key'],
  ])('refuses ?%s= whatever its value, naming %s', (name, field) => {
    for (const value of ['', 'x', key])
      expect(refusedField(`/v1/x?a=1&${name}=${value}`)).toBe(field);
    expect(refusedField(`/v1/x?${name}`)).toBe(field);
  });

  it('refuses a key as the value or the name of any parameter, naming no parameter', () => {
    for (const query of [
      `cursor=${key}`,
      `q=Bearer+${rootKey}`,
      `${rootKey}=1`,
      `n=%22${key}%22`,
    ]) {
      expect(refusedField(`/v1/x?${query}`)).toBe('query');
    }
  });

  it('lets through a query without credentials, malformed escapes included', () => {
    for (const url of [
      '/v1/x',
      '/v1/x?',
      '/v1/x?keyId=abc&limit=5',
      '/v1/x?tokens=1',
      '/v1/x?q=%E0%A4%A',
      '/v1/x?&&',
    ]) {
      expect(refusedField(url)).toBeUndefined();
    }
  });
});
