import { randomUUID } from 'node:crypto';
import { usageEntry, UsageEventLog } from './usage-events';
import type { StatusClass } from '../../src/usage/domain/usage-recorded';
import { MemoryKeyUsageDirectory } from '../../src/usage/read-models/memory/memory-key-usage-directory';
import { MemoryUsageBuckets } from '../../src/usage/read-models/memory/memory-usage-buckets';

const HOUR_MS = 3_600_000;

/** Memory read models fed through their projection interface, as the app feeds them. */
export class UsageQueryFixture {
  readonly buckets = new MemoryUsageBuckets({
    minute: 48 * HOUR_MS,
    hour: 90 * 24 * HOUR_MS,
    day: Number.POSITIVE_INFINITY,
  });
  readonly keys = new MemoryKeyUsageDirectory();
  private readonly log = new UsageEventLog();

  /** A key of `tenantId`, created through an ApiKeyCreated event. */
  key(tenantId = 'acme'): string {
    const keyId = randomUUID();
    this.feed(this.log.keyCreated(keyId, tenantId));
    return keyId;
  }

  /** `uses` uses of `keyId` at `at` (one flush). */
  use(
    keyId: string,
    at: string,
    uses: number,
    fields: { endpoint?: string; status?: StatusClass; tenantId?: string } = {},
  ): void {
    const minute = new Date(Math.floor(Date.parse(at) / 60_000) * 60_000).toISOString();
    const entry = usageEntry({ keyId, minute, lastUsedAt: at, uses, ...fields });
    this.feed(this.log.add([entry], at));
  }

  private feed(event: Parameters<MemoryUsageBuckets['apply']>[0]): void {
    this.buckets.apply(event);
    this.keys.apply(event);
  }
}
