import { MemoryKeyDirectory } from '../read-models/memory/memory-key-directory';
import { ManualClock } from '../../shared/clock';
import { apiKeyCreated, apiKeyRevoked, NOW } from '../../../test/support/factories';
import { KeyEventLog } from '../../../test/support/key-events';
import type { ApiKeyEvent } from '../domain/api-key.events';
import { generateApiKey } from '../../shared/key-format';
import { randomSecrets } from '../../shared/secrets';
import { KeyVerifier } from './key-verifier';
import type { VerifyResult } from './verify-key';

describe('KeyVerifier', () => {
  let directory: MemoryKeyDirectory;
  let log: KeyEventLog;
  let verifier: KeyVerifier;
  const issued = generateApiKey('kl', 'live', 'secret', randomSecrets);
  const created = apiKeyCreated({ keyHash: issued.hash, scopes: ['orders:read', 'orders:write'] });
  const key = created.data;

  const apply = (event: ApiKeyEvent) => directory.apply(log.add(event));
  const verify = (requiredScopes?: string[]): VerifyResult => {
    const result = verifier.verify({ key: issued.plaintext, requiredScopes }, '*');
    if (result instanceof Promise) throw new Error('the memory directory answers synchronously');
    return result;
  };

  beforeEach(() => {
    directory = new MemoryKeyDirectory();
    log = new KeyEventLog();
    verifier = new KeyVerifier(directory, new ManualClock(NOW));
    apply(created);
  });

  it('answers an unchanged key with one frozen object, scopes included', () => {
    const first = verify(['orders:read']);
    expect(first).toEqual({
      valid: true,
      code: 'VALID',
      keyId: key.keyId,
      tenantId: key.tenantId,
      scopes: ['orders:read', 'orders:write'],
      expiresAt: null,
    });
    expect(verify()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.scopes)).toBe(true);
  });

  it('answers from the key as it is now once it changed', () => {
    const before = verify();
    apply({ type: 'ApiKeyScopesChanged', data: { ...key, scopes: ['invoices:read'] } });
    const after = verify(['invoices:read']);
    expect(after).not.toBe(before);
    expect(after).toMatchObject({ code: 'VALID', scopes: ['invoices:read'] });
    expect(verify(['orders:read'])).toMatchObject({
      code: 'INSUFFICIENT_SCOPES',
      missingScopes: ['orders:read'],
    });
    apply(apiKeyRevoked(key));
    expect(verify()).toMatchObject({ valid: false, code: 'REVOKED' });
  });

  it('lists each missing scope once, in the order asked', () => {
    expect(verify(['a:b', 'orders:read', 'a:b', 'c:d'])).toMatchObject({
      code: 'INSUFFICIENT_SCOPES',
      missingScopes: ['a:b', 'c:d'],
    });
  });

  it('answers a rate-limited key with its window, not a remembered answer', () => {
    apply({
      type: 'ApiKeyRateLimitChanged',
      data: { ...key, rateLimit: { limit: 2, windowSeconds: 60 } },
    });
    const first = verify();
    expect(first).toMatchObject({ code: 'VALID', rateLimit: { limit: 2, remaining: 1 } });
    expect(verify()).toMatchObject({ code: 'VALID', rateLimit: { remaining: 0 } });
    expect(verify()).toMatchObject({ valid: false, code: 'RATE_LIMITED' });
  });

  it('answers NOT_FOUND for a malformed, unknown or other-tenant key', () => {
    const unknown = generateApiKey('kl', 'live', 'secret', randomSecrets).plaintext;
    expect(verifier.verify({ key: `${issued.plaintext}x` }, '*')).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(verifier.verify({ key: unknown }, '*')).toMatchObject({ code: 'NOT_FOUND' });
    expect(verifier.verify({ key: issued.plaintext }, ['globex'])).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
