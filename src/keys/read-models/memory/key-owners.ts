import { KeyIdIndex } from './key-id-index';
import { NumberColumn } from '../../../columnar/number-column';

/** Who owns a key: for a read model that leaves tracking owners to another one. */
export interface KeyOwnerLookup {
  ownerOf(keyId: string): string | undefined;
}

/** The memory key directory, as the owner lookup of other read models in this process. */
export const KEY_OWNER_LOOKUP = Symbol('KeyOwnerLookup');

/**
 * The owning tenant of each key id, compactly: ids as bytes in a `KeyIdIndex`, tenants as
 * numbers into a list of their ids. About 32 bytes a key, where a `Map<string, string>` costs an
 * entry and a heap string per key (some 110 bytes, all traced by the garbage collector). For
 * read models that need only "whose key is this" for millions of keys.
 */
export class KeyOwners {
  private readonly ids = new KeyIdIndex();
  private readonly owners = new NumberColumn((n) => new Uint32Array(n));
  private readonly tenants: string[] = [];
  private readonly tenantNumbers = new Map<string, number>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Records the owner of `keyId` unless it has one already; returns whether it did. */
  add(keyId: string, tenantId: string): boolean {
    if (this.ids.find(keyId) >= 0) return false;
    let tenant = this.tenantNumbers.get(tenantId);
    if (tenant === undefined) {
      tenant = this.tenants.push(tenantId) - 1;
      this.tenantNumbers.set(tenantId, tenant);
    }
    const row = this.count++;
    this.ids.add(row, keyId);
    this.owners.set(row, tenant);
    return true;
  }

  ownerOf(keyId: string): string | undefined {
    const row = this.ids.find(keyId);
    return row < 0 ? undefined : this.tenants[this.owners.get(row)];
  }
}
