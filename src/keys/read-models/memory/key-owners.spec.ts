import { randomUUID } from 'node:crypto';
import { KeyOwners } from './key-owners';

describe('KeyOwners', () => {
  it('answers the first owner recorded for each key, and nothing for others', () => {
    const owners = new KeyOwners();
    const keys = Array.from({ length: 70_000 }, (_, i) => ({
      keyId: i % 10 === 0 ? `key-${i}` : randomUUID(),
      tenantId: `tenant-${i % 7}`,
    }));
    for (const { keyId, tenantId } of keys) expect(owners.add(keyId, tenantId)).toBe(true);
    expect(owners.add(keys[5].keyId, 'someone-else')).toBe(false);

    expect(owners.size).toBe(keys.length);
    for (const { keyId, tenantId } of keys.filter((_, i) => i % 97 === 0)) {
      expect(owners.ownerOf(keyId)).toBe(tenantId);
    }
    expect(owners.ownerOf(keys[5].keyId)).toBe('tenant-5');
    expect(owners.ownerOf(randomUUID())).toBeUndefined();
  });
});
