import { ValidationFailed } from '../../shared/errors';
import { parseVerifyRequest } from './verify-request';

const fieldsOf = (body: unknown): string[] => {
  try {
    parseVerifyRequest(body);
  } catch (error) {
    if (error instanceof ValidationFailed) return (error.details ?? []).map((d) => d.field);
    throw error;
  }
  return [];
};

describe('parseVerifyRequest', () => {
  it('accepts every documented field and returns the body as it came', () => {
    const body = {
      key: 'kl_live_x',
      tenantId: 'acme',
      requiredScopes: ['orders:read'],
      ip: '2001:db8::1',
      origin: 'https://app.example.com',
      endpoint: 'GET /orders',
    };
    expect(parseVerifyRequest(body)).toBe(body);
    expect(parseVerifyRequest({ key: '' })).toEqual({ key: '' });
  });

  it.each([
    ['not an object', 'key', ['body']],
    ['an array', [], ['body']],
    ['null', null, ['body']],
    ['no key', {}, ['key']],
    ['a numeric key', { key: 42 }, ['key']],
    ['a key over 256 characters', { key: 'k'.repeat(257) }, ['key']],
    ['an unknown field', { key: 'k', apiKey: 'x' }, ['apiKey']],
    ['a tenantId that is not a string', { key: 'k', tenantId: 7 }, ['tenantId']],
    ['an invalid ip', { key: 'k', ip: '300.1.1.1' }, ['ip']],
    ['an ip that is not a string', { key: 'k', ip: 1 }, ['ip']],
    [
      'requiredScopes not an array',
      { key: 'k', requiredScopes: 'orders:read' },
      ['requiredScopes'],
    ],
    ['a scope that is not a string', { key: 'k', requiredScopes: [1] }, ['requiredScopes']],
    ['101 scopes', { key: 'k', requiredScopes: Array(101).fill('a:b') }, ['requiredScopes']],
    ['an origin over 2048 characters', { key: 'k', origin: 'o'.repeat(2049) }, ['origin']],
    ['several problems at once', { key: 1, ip: 'x', extra: true }, ['extra', 'key', 'ip']],
  ])('refuses %s, naming the field', (_label, body, fields) => {
    expect(fieldsOf(body)).toEqual(fields);
  });
});
