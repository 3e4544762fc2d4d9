import type { RecordedEvent } from '../../../event-store/event-store.port';
import { asDomainEvent } from '../../../event-store/stream-decider';
import type { ApiKeyCreated } from '../../../keys/domain/api-key.events';
import { forEachCount } from '../../domain/usage-encoding';
import type { UsageRecorded } from '../../domain/usage-recorded';
import type { KeyUsageDirectory } from '../key-usage-directory.port';

/** The embedded key usage directory: owners and last uses in memory, rebuilt at start. */
export class MemoryKeyUsageDirectory implements KeyUsageDirectory {
  readonly name = 'key-usage-directory';
  readonly filter = {
    streamPrefixes: ['apikey-', 'usage-'],
    eventTypes: ['ApiKeyCreated', 'UsageRecorded'],
  };
  private readonly ownerOf = new Map<string, string>();
  /** tenantId → keyId → epoch ms of the latest use. */
  private readonly lastUsedMs = new Map<string, Map<string, number>>();

  apply(event: RecordedEvent): void {
    if (event.type === 'ApiKeyCreated') {
      const { keyId, tenantId } = asDomainEvent<ApiKeyCreated>(event).data;
      if (!this.ownerOf.has(keyId)) this.ownerOf.set(keyId, tenantId);
      return;
    }
    if (event.type !== 'UsageRecorded') return;
    forEachCount(asDomainEvent<UsageRecorded>(event).data, (count) => {
      let keys = this.lastUsedMs.get(count.tenantId);
      if (!keys) {
        keys = new Map();
        this.lastUsedMs.set(count.tenantId, keys);
      }
      if (count.lastUsedMs > (keys.get(count.keyId) ?? Number.NEGATIVE_INFINITY)) {
        keys.set(count.keyId, count.lastUsedMs);
      }
    });
  }

  owners(keyIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const keyId of keyIds) {
      const tenantId = this.ownerOf.get(keyId);
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
      if (at !== undefined) found.set(keyId, new Date(at).toISOString());
    }
    return Promise.resolve(found);
  }
}
