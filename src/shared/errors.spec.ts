import { DomainError, NotFound, ValidationFailed } from './errors';
import { generateApiKey, generateRootKey } from './key-format';
import { REDACTED_KEY } from './key-redaction';
import { randomSecrets } from './secrets';

describe('DomainError', () => {
  const apiKey = generateApiKey('kl', 'live', 'secret', randomSecrets).plaintext;
  const rootKey = generateRootKey(randomSecrets).plaintext;

  it('redacts every key in its message when it is made, whatever the subclass', () => {
    expect(new NotFound(`Key ${apiKey} not found`).message).toBe(`Key ${REDACTED_KEY} not found`);
    const plain = new DomainError('conflict', 'X', `${rootKey} and ${apiKey}`);
    expect(plain.message).toBe(`${REDACTED_KEY} and ${REDACTED_KEY}`);
  });

  it('redacts every key in the fields and messages of its details', () => {
    const error = new ValidationFailed('Invalid root key', [
      { field: 'abilities[1]', message: `'${rootKey}' grants no known ability` },
      { field: apiKey, message: `property ${apiKey} should not exist` },
      { field: 'name', message: 'name must be 1 to 100 characters' },
    ]);
    expect(error.details).toEqual([
      { field: 'abilities[1]', message: `'${REDACTED_KEY}' grants no known ability` },
      { field: REDACTED_KEY, message: `property ${REDACTED_KEY} should not exist` },
      { field: 'name', message: 'name must be 1 to 100 characters' },
    ]);
    expect(JSON.stringify(error.details)).not.toContain(apiKey.slice(-10));
  });

  it('keeps a message without keys as it was, and no details when given none', () => {
    const error = new ValidationFailed('Request validation failed');
    expect(error.message).toBe('Request validation failed');
    expect(error.details).toBeUndefined();
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe('ValidationFailed');
  });
});
