import { Inject, Injectable } from '@nestjs/common';
import { BUCKET_MS, bucketStart } from '../domain/time-buckets';
import {
  KEY_USAGE_DIRECTORY,
  type KeyUsageDirectory,
} from '../read-models/key-usage-directory.port';
import { USAGE_BUCKETS, type UsageBuckets } from '../read-models/usage-buckets.port';
import type { KeyLastUse, KeyUsageFields } from '../../keys';
import { FigureSums, sumBy, type UsageFigures } from './usage-figures';

const DAY_MS = 86_400_000;
const TOP_ENDPOINTS = 5;

/** GET /v1/tenants/:tenantId/usage/keys/:keyId: a key's last use and its last 24 hours. */
export interface KeyUsageView extends KeyUsageFields {
  readonly tenantId: string;
  readonly keyId: string;
  /** The last 24 hours, in whole minutes up to the current one. */
  readonly usage24h: UsageFigures & {
    readonly topEndpoints: readonly (UsageFigures & { readonly endpoint: string })[];
  };
}

/** `lastUsedAt` for key views, and a key's 24 h summary. */
@Injectable()
export class KeyUsageSummary implements KeyLastUse {
  constructor(
    @Inject(USAGE_BUCKETS) private readonly buckets: UsageBuckets,
    @Inject(KEY_USAGE_DIRECTORY) private readonly keys: KeyUsageDirectory,
  ) {}

  /** lastUsedAt of each of the tenant's `keyIds`; a key never used is absent. */
  lastUsed(tenantId: string, keyIds: readonly string[]): Promise<Map<string, string>> {
    return this.keys.lastUsed(tenantId, keyIds);
  }

  async lastUsedOf(tenantId: string, keyId: string): Promise<KeyUsageFields> {
    const lastUsed = await this.keys.lastUsed(tenantId, [keyId]);
    return { lastUsedAt: lastUsed.get(keyId) ?? null };
  }

  async of(tenantId: string, keyId: string, now: Date): Promise<KeyUsageView> {
    const to = new Date(bucketStart(now.getTime(), 'minute') + BUCKET_MS.minute);
    const from = new Date(to.getTime() - DAY_MS);
    const [rows, lastUsed] = await Promise.all([
      this.buckets.aggregate({
        tenantId,
        keyId,
        granularity: 'minute',
        from,
        to,
        by: ['endpoint', 'status'],
      }),
      this.keys.lastUsed(tenantId, [keyId]),
    ]);
    return {
      tenantId,
      keyId,
      lastUsedAt: lastUsed.get(keyId) ?? null,
      usage24h: {
        ...new FigureSums().addAll(rows).figures(),
        topEndpoints: sumBy(rows, 'endpoint')
          .slice(0, TOP_ENDPOINTS)
          .map(([endpoint, sums]) => ({ endpoint, ...sums.figures() })),
      },
    };
  }
}
