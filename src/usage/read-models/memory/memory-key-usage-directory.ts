import type { EventFilter, RecordedEvent } from '../../../event-store/event-store.port';
import { asDomainEvent } from '../../../event-store/recorded-events';
import { KeyOwners, type ApiKeyCreated, type KeyOwnerLookup } from '../../../keys';
import { forEachCount } from '../../domain/usage-encoding';
import type { UsageRecorded } from '../../domain/usage-recorded';
import type { KeyUsageDirectory } from '../key-usage-directory.port';

const OWNERS_AND_USES: EventFilter = {
  streamPrefixes: ['apikey-', 'usage-'],
  eventTypes: ['ApiKeyCreated', 'UsageRecorded'],
};
const USES: EventFilter = { streamPrefixes: ['usage-'], eventTypes: ['UsageRecorded'] };

/** The embedded key usage directory: owners and last uses in memory, rebuilt at start. */
export class MemoryKeyUsageDirectory implements KeyUsageDirectory {
  readonly name = 'key-usage-directory';
  readonly filter: EventFilter;
  /** Owner of every key ever created, when tracked here: compact, one entry per key (millions). */
  private readonly keyOwners: KeyOwners | undefined;
  private readonly owning: KeyOwnerLookup;
  /**
   * tenantId → keyId → epoch ms of the latest use, in a holder updated in place: storing a new
   * epoch-ms number in the Map would box it, one allocation per key per flush.
   */
  private readonly lastUsedMs = new Map<string, Map<string, { ms: number }>>();

  /**
   * @param owners where to look owners up when another read model of this process applies every
   *   ApiKeyCreated already (the memory key directory does): this directory then applies usage
   *   only, and keeps no second index of every key id ever created. Without it, it tracks owners
   *   itself.
   */
  constructor(owners?: KeyOwnerLookup) {
    if (owners) {
      this.owning = owners;
      this.filter = USES;
    } else {
      this.keyOwners = new KeyOwners();
      this.owning = this.keyOwners;
      this.filter = OWNERS_AND_USES;
    }
  }

  apply(event: RecordedEvent): void {
    if (event.type === 'ApiKeyCreated') {
      const { keyId, tenantId } = asDomainEvent<ApiKeyCreated>(event).data;
      this.keyOwners?.add(keyId, tenantId);
      return;
    }
    if (event.type !== 'UsageRecorded') return;
    let tenantId = '';
    let keys: Map<string, { ms: number }> | undefined;
    forEachCount(asDomainEvent<UsageRecorded>(event).data, (count) => {
      // Counters come grouped by tenant: one tenant lookup per group.
      if (keys === undefined || count.tenantId !== tenantId) {
        tenantId = count.tenantId;
        keys = this.keysOf(tenantId);
      }
      const last = keys.get(count.keyId);
      if (last === undefined) keys.set(count.keyId, { ms: count.lastUsedMs });
      else if (count.lastUsedMs > last.ms) last.ms = count.lastUsedMs;
    });
  }

  owners(keyIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const keyId of keyIds) {
      const tenantId = this.owning.ownerOf(keyId);
      if (tenantId !== undefined) found.set(keyId, tenantId);
    }
    return Promise.resolve(found);
  }

  lastUsed(tenantId: string, keyIds?: readonly string[]): Promise<Map<string, string>> {
    const keys = this.lastUsedMs.get(tenantId);
    const found = new Map<string, string>();
    if (!keys) return Promise.resolve(found);
    const wanted = keyIds ?? [...keys.keys()];
    for (const keyId of wanted) {
      const at = keys.get(keyId);
      if (at !== undefined) found.set(keyId, new Date(at.ms).toISOString());
    }
    return Promise.resolve(found);
  }

  private keysOf(tenantId: string): Map<string, { ms: number }> {
    let keys = this.lastUsedMs.get(tenantId);
    if (!keys) {
      keys = new Map();
      this.lastUsedMs.set(tenantId, keys);
    }
    return keys;
  }
}
