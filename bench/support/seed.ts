import { randomUUID } from 'node:crypto';
import { chainEvents } from '../../src/event-store/hash-chain';
import type { NewEvent } from '../../src/event-store/event-store.port';
import { openEventDatabase } from '../../src/event-store/sqlite/sqlite-schema';
import { EventStatements, storedJson } from '../../src/event-store/sqlite/sqlite-statements';
import { GENESIS_HASH } from '../../src/event-store/hash-chain';
import { generateApiKey, generateRootKey } from '../../src/shared/key-format';
import { randomSecrets } from '../../src/shared/secrets';

export interface SeededData {
  readonly rootKey: string;
  readonly tenantId: string;
  /** Plaintexts of the first `keepPlaintexts` keys, for the load generators. */
  readonly keys: readonly string[];
  /** Id and hash of every key, when asked for (`withTable`). */
  readonly table: readonly { readonly keyId: string; readonly hash: string }[];
  readonly rootKeyHash: string;
  readonly events: number;
}

const metadata = (at: string) => ({
  schemaVersion: 1,
  occurredAt: at,
  actor: { type: 'cli' as const, id: 'bench' },
  requestId: 'bench-seed',
});

/**
 * Writes a realistic event history straight into a SQLite event file, in one transaction: a
 * tenant, an admin root key and `keyCount` API keys with real hash chains, plus
 * `extraEventsPerKey` renames per key. This is the embedded store's own schema and statements;
 * going through HTTP would measure seeding instead of what the benchmark is about.
 */
export function seedEventFile(
  file: string,
  keyCount: number,
  options: {
    extraEventsPerKey?: number;
    keepPlaintexts?: number;
    rateLimited?: boolean;
    withTable?: boolean;
  } = {},
): SeededData {
  const db = openEventDatabase(file);
  db.pragma('synchronous = OFF');
  // Room for the indexes' pages (the id and stream indexes take random inserts): with SQLite's
  // default 2 MiB cache most of the seeding time went to re-reading them.
  db.pragma('cache_size = -262144');
  const statements = new EventStatements(db);
  const at = new Date().toISOString();
  let events = 0;
  const write = (stream: string, drafts: { type: string; data: object }[]) => {
    const sealed: NewEvent[] = chainEvents(
      stream,
      undefined,
      GENESIS_HASH,
      drafts.map((d) => ({
        id: randomUUID(),
        type: d.type,
        data: d.data as NewEvent['data'],
        metadata: metadata(at),
      })),
    );
    sealed.forEach((event, revision) => {
      statements.insertEvent({
        stream,
        revision: BigInt(revision),
        id: event.id,
        type: event.type,
        data: storedJson(event.data),
        metadata: storedJson(event.metadata),
        occurredAt: event.metadata.occurredAt,
      });
      events++;
    });
  };
  const tenantId = 'bench';
  const root = generateRootKey(randomSecrets);
  const keys: string[] = [];
  const table: { keyId: string; hash: string }[] = [];
  db.transaction(() => {
    write(`tenant-${tenantId}`, [
      {
        type: 'TenantCreated',
        data: { tenantId, name: 'Bench', keyPrefix: 'kl', createdAt: at, createdBy: 'cli:bench' },
      },
    ]);
    const rootKeyId = randomUUID();
    write(`rootkey-${rootKeyId}`, [
      {
        type: 'RootKeyCreated',
        data: {
          rootKeyId,
          name: 'bench',
          abilities: ['*'],
          tenants: '*',
          rateLimit: null,
          keyHash: root.hash,
          hint: root.hint,
          createdAt: at,
          createdBy: 'cli:bench',
        },
      },
    ]);
    for (let i = 0; i < keyCount; i++) {
      const issued = generateApiKey('kl', 'live', 'secret', randomSecrets);
      if (keys.length < (options.keepPlaintexts ?? 10_000)) keys.push(issued.plaintext);
      const keyId = randomUUID();
      if (options.withTable) table.push({ keyId, hash: issued.hash });
      const drafts = [
        {
          type: 'ApiKeyCreated',
          data: {
            keyId,
            tenantId,
            name: `key ${i}`,
            environment: 'live',
            kind: 'secret',
            scopes: ['orders:read', 'orders:write', 'invoices:*'],
            expiresAt: null,
            rateLimit: options.rateLimited ? { limit: 1_000_000_000, windowSeconds: 60 } : null,
            allowedIps: null,
            allowedOrigins: null,
            metadata: { plan: 'pro' },
            keyHash: issued.hash,
            hint: issued.hint,
            createdAt: at,
            createdBy: 'cli:bench',
            rotatedFrom: null,
          },
        },
      ];
      for (let r = 0; r < (options.extraEventsPerKey ?? 0); r++) {
        drafts.push({
          type: 'ApiKeyRenamed',
          data: { keyId, tenantId, name: `key ${i} v${r + 1}` },
        } as never);
      }
      write(`apikey-${keyId}`, drafts);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { rootKey: root.plaintext, rootKeyHash: root.hash, tenantId, keys, table, events };
}
