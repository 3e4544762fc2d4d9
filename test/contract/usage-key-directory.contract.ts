import { randomUUID } from 'node:crypto';
import type { KeyUsageDirectory } from '../../src/usage/read-models/key-usage-directory.port';
import { usageEntry, UsageEventLog } from '../support/usage-events';

export interface KeyUsageDirectoryFixture {
  readonly directory: KeyUsageDirectory;
  readonly cleanup: () => Promise<void>;
}

/** The behaviour every KeyUsageDirectory adapter must have (see the port's JSDoc). */
export function keyUsageDirectoryContract(
  adapterName: string,
  open: () => Promise<KeyUsageDirectoryFixture>,
): void {
  describe(`KeyUsageDirectory contract: ${adapterName}`, () => {
    let fixture: KeyUsageDirectoryFixture;
    let log: UsageEventLog;
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const other = `o-${randomUUID().slice(0, 8)}`;
    const [keyA, keyB, keyC, stranger] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const applyAll = async () => {
      for (const event of log.events) await fixture.directory.apply(event);
    };

    beforeEach(async () => {
      fixture = await open();
      log = new UsageEventLog();
      log.keyCreated(keyA, tenant);
      log.keyCreated(keyB, tenant);
      log.keyCreated(keyC, other);
    });
    afterEach(() => fixture.cleanup());

    it('knows the owner of every key created, and nothing of unknown ids', async () => {
      await applyAll();
      const owners = await fixture.directory.owners([keyA, keyC, stranger]);
      expect(owners).toEqual(
        new Map([
          [keyA, tenant],
          [keyC, other],
        ]),
      );
    });

    it('keeps the latest use of each key, whatever order the uses arrive in', async () => {
      log.add([
        usageEntry({ tenantId: tenant, keyId: keyA, lastUsedAt: '2026-03-01T12:00:41.500Z' }),
      ]);
      log.add([
        usageEntry({ tenantId: tenant, keyId: keyA, lastUsedAt: '2026-03-01T11:00:00.000Z' }),
      ]);
      log.add([
        usageEntry({ tenantId: tenant, keyId: keyB, lastUsedAt: '2026-03-01T10:00:00.000Z' }),
      ]);
      await applyAll();
      expect(await fixture.directory.lastUsed(tenant, [keyA, keyB])).toEqual(
        new Map([
          [keyA, '2026-03-01T12:00:41.500Z'],
          [keyB, '2026-03-01T10:00:00.000Z'],
        ]),
      );
    });

    it('lists every used key of a tenant, and none of another tenant', async () => {
      log.add([
        usageEntry({ tenantId: tenant, keyId: keyA, lastUsedAt: '2026-03-01T12:00:00.000Z' }),
      ]);
      log.add([
        usageEntry({ tenantId: other, keyId: keyC, lastUsedAt: '2026-03-01T12:30:00.000Z' }),
      ]);
      await applyAll();
      expect(await fixture.directory.lastUsed(tenant)).toEqual(
        new Map([[keyA, '2026-03-01T12:00:00.000Z']]),
      );
      expect(await fixture.directory.lastUsed(tenant, [keyC, keyB])).toEqual(new Map());
      expect(await fixture.directory.lastUsed('nobody-here')).toEqual(new Map());
    });

    it('answers exactly the same after the whole log is replayed a second time', async () => {
      log.add([
        usageEntry({ tenantId: tenant, keyId: keyA, lastUsedAt: '2026-03-01T12:00:00.000Z' }),
      ]);
      log.add([
        usageEntry({ tenantId: tenant, keyId: keyB, lastUsedAt: '2026-03-01T12:05:00.000Z' }),
      ]);
      const answers = () =>
        Promise.all([
          fixture.directory.owners([keyA, keyB, keyC]),
          fixture.directory.lastUsed(tenant),
          fixture.directory.lastUsed(other),
        ]);
      await applyAll();
      const once = await answers();
      await applyAll();
      expect(await answers()).toEqual(once);
    });
  });
}
