import { randomUUID } from 'node:crypto';
import { matchesFilter } from '../../../event-store/event-store.port';
import { MemoryKeyDirectory } from '../../../keys/read-models/memory/memory-key-directory';
import { apiKeyCreated, apiKeyRevoked } from '../../../../test/support/factories';
import { KeyEventLog } from '../../../../test/support/key-events';
import { usageEntry, UsageEventLog } from '../../../../test/support/usage-events';
import { MemoryKeyUsageDirectory } from './memory-key-usage-directory';

/** The app's wiring: owners come from the key directory; the contract covers the other way. */
describe('MemoryKeyUsageDirectory with owners from the key directory', () => {
  const keys = new KeyEventLog();
  const [acmeKey, globexKey] = [
    apiKeyCreated({ keyId: randomUUID(), tenantId: 'acme' }),
    apiKeyCreated({ keyId: randomUUID(), tenantId: 'globex' }),
  ];
  keys.add(acmeKey);
  keys.add(globexKey);
  keys.add(apiKeyRevoked(globexKey.data));

  it('answers owners from the key directory, revoked keys included, and nothing of others', async () => {
    const keyDirectory = new MemoryKeyDirectory();
    const usage = new MemoryKeyUsageDirectory(keyDirectory);
    for (const event of keys.events) keyDirectory.apply(event);

    const stranger = randomUUID();
    const owners = await usage.owners([acmeKey.data.keyId, globexKey.data.keyId, stranger]);

    expect(owners).toEqual(
      new Map([
        [acmeKey.data.keyId, 'acme'],
        [globexKey.data.keyId, 'globex'],
      ]),
    );
  });

  it('is fed usage only: key events are for the key directory', () => {
    const usage = new MemoryKeyUsageDirectory(new MemoryKeyDirectory());
    const [created] = keys.events;

    expect(matchesFilter(usage.filter, created.stream, created.type)).toBe(false);
    expect(matchesFilter(usage.filter, 'usage-test-20260301', 'UsageRecorded')).toBe(true);
  });

  it('keeps the latest use of each key as it does on its own', async () => {
    const usage = new MemoryKeyUsageDirectory(new MemoryKeyDirectory());
    const uses = new UsageEventLog();
    const keyId = acmeKey.data.keyId;
    uses.add([usageEntry({ tenantId: 'acme', keyId, lastUsedAt: '2026-03-01T12:00:41.500Z' })]);
    uses.add([usageEntry({ tenantId: 'acme', keyId, lastUsedAt: '2026-03-01T11:00:00.000Z' })]);
    for (const event of uses.events) usage.apply(event);

    expect(await usage.lastUsed('acme')).toEqual(new Map([[keyId, '2026-03-01T12:00:41.500Z']]));
  });
});
