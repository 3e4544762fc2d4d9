import type { RecordedEvent } from '../../../event-store/event-store.port';
import { asDomainEvent } from '../../../event-store/stream-decider';
import type { ApiKeyCreated } from '../../../keys/domain/api-key.events';
import { forEachCount } from '../../domain/usage-encoding';
import type { UsageRecorded } from '../../domain/usage-recorded';
import type { KeyUsageDirectory } from '../key-usage-directory.port';
import { KeyOwners } from '../../../read-models/memory/key-owners';

/** The embedded key usage directory: owners and last uses in memory, rebuilt at start. */
export class MemoryKeyUsageDirectory implements KeyUsageDirectory {
  readonly name = 'key-usage-directory';
  readonly filter = {
    streamPrefixes: ['apikey-', 'usage-'],
    eventTypes: ['ApiKeyCreated', 'UsageRecorded'],
  };
  /** Owner of every key ever created: compact, as there is one entry per key (millions). */
  private readonly keyOwners = new KeyOwners();
  /**
   * tenantId → keyId → epoch ms of the latest use, in a holder updated in place: storing a new
   * epoch-ms number in the Map would box it, one allocation per key per flush.
   */
  private readonly lastUsedMs = new Map<string, Map<string, { ms: number }>>();

  apply(event: RecordedEvent): void {
    if (event.type === 'ApiKeyCreated') {
      const { keyId, tenantId } = asDomainEvent<ApiKeyCreated>(event).data;
      this.keyOwners.add(keyId, tenantId);
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
      const tenantId = this.keyOwners.ownerOf(keyId);
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
