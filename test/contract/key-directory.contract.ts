import { randomBytes, randomUUID } from 'node:crypto';
import type { KeyDirectory, KeyRecord } from '../../src/keys';
import { ValidationFailed } from '../../src/shared/errors';
import { apiKeyCreated, apiKeyRevoked, apiKeyRotated } from '../support/factories';
import { KeyEventLog } from '../support/key-events';

export interface KeyDirectoryFixture {
  readonly directory: KeyDirectory;
  readonly cleanup: () => Promise<void>;
}

const NOW = new Date('2026-03-01T12:00:00.000Z');
const hash = () => randomBytes(32).toString('hex');

/** The behaviour every KeyDirectory adapter must have (see the port's JSDoc). */
export function keyDirectoryContract(
  adapterName: string,
  open: () => Promise<KeyDirectoryFixture>,
): void {
  describe(`KeyDirectory contract: ${adapterName}`, () => {
    let fixture: KeyDirectoryFixture;
    let log: KeyEventLog;
    // Unique per run: a real server is shared between runs.
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const other = `o-${randomUUID().slice(0, 8)}`;
    const applyAll = async () => {
      for (const event of log.events) await fixture.directory.apply(event);
    };
    const created = (overrides: Parameters<typeof apiKeyCreated>[0] = {}) => {
      const event = apiKeyCreated({
        keyId: randomUUID(),
        tenantId: tenant,
        keyHash: hash(),
        ...overrides,
      });
      log.add(event);
      return event.data;
    };

    beforeEach(async () => {
      fixture = await open();
      log = new KeyEventLog();
    });
    afterEach(() => fixture.cleanup());

    it('finds a created key by id within its tenant and by hash, and nothing else', async () => {
      const key = created({ metadata: { plan: 'pro', 'odd.$key': 3, on: true, none: null } });
      await applyAll();
      const byId = await fixture.directory.findById(tenant, key.keyId);
      expect(byId).toEqual({
        ...key,
        revokedAt: null,
        revocationReason: null,
        rotatedTo: null,
        graceEndsAt: null,
        updatedAt: '2026-03-01T12:00:00.000Z',
        revision: 0,
      });
      expect(await fixture.directory.findByHash(key.keyHash)).toEqual(byId);
      expect(await fixture.directory.findById(other, key.keyId)).toBeUndefined();
      expect(await fixture.directory.findById(tenant, randomUUID())).toBeUndefined();
      expect(await fixture.directory.findByHash(hash())).toBeUndefined();
    });

    it('folds later events into the key and tracks the revision', async () => {
      const key = created();
      log.add({ type: 'ApiKeyRenamed', data: { keyId: key.keyId, tenantId: tenant, name: 'CI' } });
      log.add(
        apiKeyRevoked(key, { reason: 'leaked', revokedAt: '2026-03-01T12:05:00.000Z' }),
        '2026-03-01T12:05:00.000Z',
      );
      await applyAll();
      expect(await fixture.directory.findById(tenant, key.keyId)).toMatchObject({
        name: 'CI',
        revokedAt: '2026-03-01T12:05:00.000Z',
        revocationReason: 'leaked',
        updatedAt: '2026-03-01T12:05:00.000Z',
        revision: 2,
      });
    });

    it('is idempotent: replaying events, or an older one, changes nothing', async () => {
      const key = created();
      log.add({
        type: 'ApiKeyRenamed',
        data: { keyId: key.keyId, tenantId: tenant, name: 'Second' },
      });
      await applyAll();
      const before = await fixture.directory.findById(tenant, key.keyId);
      await applyAll();
      await fixture.directory.apply(log.events[0]);
      expect(await fixture.directory.findById(tenant, key.keyId)).toEqual(before);
      expect(await fixture.directory.count()).toBe(1);
    });

    it('ignores changes to a key whose creation it never saw', async () => {
      const key = created();
      log.add({ type: 'ApiKeyRenamed', data: { keyId: key.keyId, tenantId: tenant, name: 'x' } });
      await fixture.directory.apply(log.events[1]);
      expect(await fixture.directory.findById(tenant, key.keyId)).toBeUndefined();
      expect(await fixture.directory.count()).toBe(0);
    });

    it('lists a tenant newest first, ties by id, page by page with a cursor', async () => {
      const keys = [0, 1, 2, 3, 4].map((i) =>
        created({ createdAt: `2026-02-0${1 + Math.floor(i / 2)}T00:00:00.000Z` }),
      );
      created({ tenantId: other });
      await applyAll();
      const expected = [...keys]
        .sort((a, b) =>
          a.createdAt !== b.createdAt
            ? b.createdAt.localeCompare(a.createdAt)
            : a.keyId < b.keyId
              ? -1
              : 1,
        )
        .map((k) => k.keyId);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 5; page++) {
        const result = await fixture.directory.list({ tenantId: tenant, limit: 2, cursor }, NOW);
        seen.push(...result.items.map((k: KeyRecord) => k.keyId));
        if (result.nextCursor === null) break;
        cursor = result.nextCursor;
      }
      expect(seen).toEqual(expected);
      const all = await fixture.directory.list({ tenantId: tenant, limit: 10 }, NOW);
      expect(all.nextCursor).toBeNull();
      expect(all.items).toHaveLength(5);
    });

    it('filters by status at `now` and by environment', async () => {
      const active = created({ environment: 'live' });
      const test = created({ environment: 'test' });
      const revoked = created();
      log.add(apiKeyRevoked(revoked));
      const expired = created({ expiresAt: '2026-03-01T11:00:00.000Z' });
      const expiresLater = created({ expiresAt: '2026-03-01T13:00:00.000Z' });
      const rotated = created();
      log.add(apiKeyRotated(rotated, { graceEndsAt: '2026-03-01T11:30:00.000Z' }));
      await applyAll();
      const ids = async (
        query: { status?: 'active' | 'revoked' | 'expired'; environment?: 'live' | 'test' },
        now = NOW,
      ) =>
        (await fixture.directory.list({ tenantId: tenant, limit: 100, ...query }, now)).items
          .map((k) => k.keyId)
          .sort();
      expect(await ids({ status: 'revoked' })).toEqual([revoked.keyId]);
      expect(await ids({ status: 'expired' })).toEqual([expired.keyId, rotated.keyId].sort());
      expect(await ids({ status: 'active' })).toEqual(
        [active.keyId, test.keyId, expiresLater.keyId].sort(),
      );
      expect(await ids({ environment: 'test' })).toEqual([test.keyId]);
      expect(await ids({ status: 'active', environment: 'test' })).toEqual([test.keyId]);
      const later = new Date('2026-03-01T14:00:00.000Z');
      expect(await ids({ status: 'expired' }, later)).toEqual(
        [expired.keyId, expiresLater.keyId, rotated.keyId].sort(),
      );
    });

    it('refuses a cursor it did not hand out', async () => {
      await expect(
        fixture.directory.list({ tenantId: tenant, limit: 5, cursor: 'bm90LWEtY3Vyc29y' }, NOW),
      ).rejects.toBeInstanceOf(ValidationFailed);
    });
  });
}
