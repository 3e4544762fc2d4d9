import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.adapter';
import { generateApiKey } from '../../src/shared/key-format';
import { randomSecrets } from '../../src/shared/secrets';
import { CountingEventStore } from '../support/counting-event-store';
import { expectStatus, TestApp, type VerifyAnswer } from '../support/test-app';

const HOUR_MS = 3_600_000;
const NOT_FOUND = { valid: false, code: 'NOT_FOUND' };

/** The same key with its last (checksum) character changed. */
function flipLastChar(key: string): string {
  const last = key.at(-1);
  return key.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

describe('POST /v1/keys/verify: every answer code, always 200, never from the event store', () => {
  let inner: SqliteEventStore;
  let store: CountingEventStore;
  let t: TestApp;

  beforeEach(async () => {
    inner = SqliteEventStore.open(':memory:');
    store = new CountingEventStore(inner);
    t = await TestApp.start({ eventStore: store });
    await t.createTenant('acme');
    await t.createTenant('globex');
  });
  afterEach(async () => {
    await t.close();
    await inner.close();
  });

  /** Runs `verifies` and proves that none of them read (or wrote) the event store. */
  async function withoutStoreAccess(verifies: () => Promise<void>): Promise<void> {
    store.reset();
    await verifies();
    expect(store.calls).toEqual({ append: 0, readStream: 0, readAll: 0 });
  }

  it('the counting store does see the reads a write makes (so zero below means something)', async () => {
    store.reset();
    await t.createKey('acme');
    expect(store.calls.readStream).toBeGreaterThan(0);
    expect(store.calls.append).toBe(1);
  });

  it('VALID: with the key id, tenant, scopes and expiry', async () => {
    const expiresAt = new Date(t.clock.now().getTime() + HOUR_MS).toISOString();
    const key = await t.createKey('acme', { scopes: ['orders:read'], expiresAt });
    await withoutStoreAccess(async () => {
      expect(
        await t.verify(key.key, { tenantId: 'acme', requiredScopes: ['orders:read'] }),
      ).toEqual({
        valid: true,
        code: 'VALID',
        keyId: key.id,
        tenantId: 'acme',
        scopes: ['orders:read'],
        expiresAt,
      });
    });
  });

  it('NOT_FOUND for unknown, malformed, mistyped and other-tenant keys, with nothing about the key', async () => {
    const key = await t.createKey('acme');
    const otherTenantOnly = await t.rootKey(['keys:verify'], ['globex']);
    const candidates: [string, () => Promise<VerifyAnswer>][] = [
      ['unknown', () => t.verify(generateApiKey('kl', 'live', 'secret', randomSecrets).plaintext)],
      ['malformed', () => t.verify('definitely-not-a-key')],
      ['bad checksum', () => t.verify(flipLastChar(key.key))],
      ['truncated', () => t.verify(key.key.slice(0, -1))],
      ['other tenant', () => t.verify(key.key, { tenantId: 'globex' })],
      ['a root key', () => t.verify(t.admin.key)],
      [
        'root key bound to another tenant',
        async () => {
          const res = await t.as(otherTenantOnly.key).post('/v1/keys/verify', { key: key.key });
          expectStatus(res, 200);
          return res.body as VerifyAnswer;
        },
      ],
    ];
    await withoutStoreAccess(async () => {
      for (const [label, verify] of candidates) {
        expect({ label, answer: await verify() }).toEqual({ label, answer: NOT_FOUND });
      }
    });
    expect(await t.verify(key.key, { tenantId: 'acme' })).toMatchObject({ code: 'VALID' });
  });

  it('REVOKED once the key is revoked', async () => {
    const key = await t.createKey('acme');
    expectStatus(await t.as().delete(`/v1/tenants/acme/keys/${key.id}`), 200);
    await withoutStoreAccess(async () => {
      expect(await t.verify(key.key)).toMatchObject({
        valid: false,
        code: 'REVOKED',
        keyId: key.id,
      });
    });
  });

  it('EXPIRED from the expiry instant on, VALID just before', async () => {
    const expiresAt = new Date(t.clock.now().getTime() + HOUR_MS).toISOString();
    const key = await t.createKey('acme', { expiresAt });
    await withoutStoreAccess(async () => {
      t.clock.advance(HOUR_MS - 1);
      expect(await t.verify(key.key)).toMatchObject({ valid: true, code: 'VALID' });
      t.clock.advance(1);
      expect(await t.verify(key.key)).toMatchObject({ valid: false, code: 'EXPIRED', expiresAt });
    });
  });

  it('INSUFFICIENT_SCOPES lists exactly the missing scopes; wildcards grant', async () => {
    const narrow = await t.createKey('acme', { scopes: ['orders:read'] });
    const wide = await t.createKey('acme', { scopes: ['orders:*', '*:read'] });
    const full = await t.createKey('acme', { preset: 'full' });
    await withoutStoreAccess(async () => {
      const required = ['orders:read', 'orders:write', 'users:read', 'orders:write'];
      expect(await t.verify(narrow.key, { requiredScopes: required })).toMatchObject({
        valid: false,
        code: 'INSUFFICIENT_SCOPES',
        keyId: narrow.id,
        missingScopes: ['orders:write', 'users:read'],
      });
      expect(
        await t.verify(wide.key, { requiredScopes: ['orders:write', 'users:read'] }),
      ).toMatchObject({ valid: true, code: 'VALID' });
      expect(await t.verify(wide.key, { requiredScopes: ['users:write'] })).toMatchObject({
        code: 'INSUFFICIENT_SCOPES',
        missingScopes: ['users:write'],
      });
      expect(await t.verify(full.key, { requiredScopes: ['anything:at:all'] })).toMatchObject({
        code: 'VALID',
      });
      // Asking for a wildcard is not a way to get one.
      expect(await t.verify(narrow.key, { requiredScopes: ['orders:*'] })).toMatchObject({
        code: 'INSUFFICIENT_SCOPES',
        missingScopes: ['orders:*'],
      });
    });
  });

  it('RATE_LIMITED once the window is used up, with remaining and resetAt; VALID again after', async () => {
    const key = await t.createKey('acme', { rateLimit: { limit: 2, windowSeconds: 60 } });
    const resetAt = new Date(t.clock.now().getTime() + 60_000).toISOString();
    await withoutStoreAccess(async () => {
      expect(await t.verify(key.key)).toMatchObject({
        code: 'VALID',
        rateLimit: { limit: 2, remaining: 1, resetAt },
      });
      expect(await t.verify(key.key)).toMatchObject({
        code: 'VALID',
        rateLimit: { limit: 2, remaining: 0, resetAt },
      });
      expect(await t.verify(key.key)).toMatchObject({
        valid: false,
        code: 'RATE_LIMITED',
        keyId: key.id,
        rateLimit: { limit: 2, remaining: 0, resetAt },
      });
      t.clock.advance(60_000);
      expect(await t.verify(key.key)).toMatchObject({
        code: 'VALID',
        rateLimit: { limit: 2, remaining: 1 },
      });
    });
  });

  it('FORBIDDEN_IP for an address outside allowedIps or no address at all', async () => {
    const key = await t.createKey('acme', { allowedIps: ['10.0.0.0/8', '2001:db8::/32'] });
    await withoutStoreAccess(async () => {
      for (const ip of ['10.1.2.3', '::ffff:10.9.9.9', '2001:db8::1']) {
        expect({ ip, answer: await t.verify(key.key, { ip }) }).toMatchObject({
          ip,
          answer: { valid: true, code: 'VALID' },
        });
      }
      for (const ip of ['192.168.1.1', '11.0.0.1', '2001:db9::1', undefined]) {
        const extra = ip === undefined ? {} : { ip };
        expect({ ip, answer: await t.verify(key.key, extra) }).toMatchObject({
          ip,
          answer: { valid: false, code: 'FORBIDDEN_IP', keyId: key.id },
        });
      }
    });
  });

  it('FORBIDDEN_ORIGIN for a publishable key called from another origin or none', async () => {
    const key = await t.createKey('acme', {
      kind: 'publishable',
      allowedOrigins: ['https://app.example.com'],
    });
    expect(key.key).toMatch(/^kl_pk_live_/);
    await withoutStoreAccess(async () => {
      for (const origin of ['https://app.example.com', 'https://APP.example.com:443']) {
        expect(await t.verify(key.key, { origin })).toMatchObject({ valid: true, code: 'VALID' });
      }
      for (const origin of ['https://evil.example.com', 'http://app.example.com', undefined]) {
        const extra = origin === undefined ? {} : { origin };
        expect({ origin, answer: await t.verify(key.key, extra) }).toMatchObject({
          origin,
          answer: { valid: false, code: 'FORBIDDEN_ORIGIN' },
        });
      }
    });
  });

  it('checks the tenant before anything else: a revoked key of another tenant is NOT_FOUND', async () => {
    const key = await t.createKey('acme', { scopes: ['a:b'] });
    expectStatus(await t.as().delete(`/v1/tenants/acme/keys/${key.id}`), 200);
    expect(await t.verify(key.key, { tenantId: 'globex' })).toEqual(NOT_FOUND);
  });
});
