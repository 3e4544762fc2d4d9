import { createHash, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AUDIT_CHECKPOINT_STREAM,
  checkpointStatement,
  type CheckpointData,
} from '../../src/audit/checkpoint/audit-checkpoint';
import { tenantLeafHash } from '../../src/audit/checkpoint/checkpoint-trees';
import { tenantDigest, tenantOf } from '../../src/audit/checkpoint/tenant-membership';
import { trailerStatement, type TrailerLine } from '../../src/audit/export/export-format';
import { TenantAuditExport } from '../../src/audit/export/tenant-audit-export';
import { leafHash } from '../../src/audit/merkle/rfc6962';
import { CheckpointSealer } from '../../src/audit/sealer/checkpoint-sealer';
import { publicKeyDocument, signerFromPrivateKey } from '../../src/audit/signing/audit-signer';
import type { JsonObject, RecordedEvent } from '../../src/event-store/event-store.port';
import { GENESIS_HASH, chainEvents } from '../../src/event-store/hash-chain';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.adapter';
import { canonicalJson } from '../../src/shared/canonical-hash';
import { ManualClock } from '../../src/shared/clock';
import type { IdGenerator } from '../../src/shared/ids';

/**
 * Builds the audit-format test vectors of docs/audit-format.md with the real code: the SQLite
 * store, the hash chain, the checkpoint sealer and the tenant export, all on a fixed clock, fixed
 * ids and the throwaway signing key committed in test/fixtures/audit-vectors. Ed25519 signatures
 * are deterministic (RFC 8032), so the same code gives the same bytes every time.
 *
 * The events are written straight to the store (not through the HTTP API), so that the vectors
 * change only when the audit format changes, not when a command's payload does; their shapes
 * follow the real event types.
 */
export const VECTORS_DIR = join(__dirname, '..', 'fixtures', 'audit-vectors');
export const PRIVATE_KEY_FILE = 'THROWAWAY-TEST-ONLY-signing-key.pem';

/** The files of the vectors folder, by name, as the code writes them today. */
export type VectorFiles = Record<string, string>;

const T0 = '2026-01-01T00:00:00.000Z';

interface Draft {
  readonly stream: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly actor: { readonly type: 'root-key' | 'cli' | 'system'; readonly id: string };
  readonly ip?: string;
  readonly userAgent?: string;
}

const ROOT = '00000000-0000-4000-8000-0000000000a1';
const KEY_A = '00000000-0000-4000-8000-0000000000b1';
const KEY_A2 = '00000000-0000-4000-8000-0000000000b2';
const KEY_G = '00000000-0000-4000-8000-0000000000c1';
const KEY_G2 = '00000000-0000-4000-8000-0000000000c2';
const admin = { type: 'root-key', id: ROOT } as const;
const http = { ip: '203.0.113.7', userAgent: 'vectors/1.0' };

const keyCreated = (keyId: string, tenantId: string, extra: JsonObject = {}): JsonObject => ({
  keyId,
  tenantId,
  name: `${tenantId} key`,
  environment: 'live',
  kind: 'secret',
  scopes: ['orders:read'],
  expiresAt: null,
  rateLimit: null,
  allowedIps: null,
  allowedOrigins: null,
  metadata: null,
  keyHash: createHash('sha256').update(`not a real key ${keyId}`).digest('hex'),
  hint: 'kl_live_…abcd',
  createdAt: T0,
  createdBy: ROOT,
  rotatedFrom: null,
  ...extra,
});

/** The log, in global order; `seal` marks where a checkpoint is sealed (of `seal` events). */
const LOG: readonly (Draft | { readonly seal: number })[] = [
  {
    stream: `rootkey-${ROOT}`,
    type: 'RootKeyCreated',
    data: { rootKeyId: ROOT, name: 'admin', abilities: ['*'], tenants: '*' },
    actor: { type: 'cli', id: 'vectors' },
  },
  {
    stream: 'tenant-acme',
    type: 'TenantCreated',
    data: { tenantId: 'acme', name: 'Acme', keyPrefix: 'kl', createdAt: T0, createdBy: ROOT },
    actor: admin,
    ...http,
  },
  {
    stream: 'tenant-globex',
    type: 'TenantCreated',
    data: { tenantId: 'globex', name: 'Globex', keyPrefix: 'gx', createdAt: T0, createdBy: ROOT },
    actor: admin,
    ...http,
  },
  {
    stream: `apikey-${KEY_A}`,
    type: 'ApiKeyCreated',
    // Keys that sort differently by UTF-16 code unit, by code point and by V8's own order.
    data: keyCreated(KEY_A, 'acme', {
      metadata: { '10': 1, '2': 2.5, Z: true, a: null, é: 'café', '\u{1F511}': 'key', ｚ: -0 },
    }),
    actor: admin,
    ...http,
  },
  {
    stream: `apikey-${KEY_G}`,
    type: 'ApiKeyCreated',
    data: keyCreated(KEY_G, 'globex'),
    actor: admin,
  },
  {
    stream: `apikey-${KEY_A}`,
    type: 'ApiKeyRenamed',
    data: { keyId: KEY_A, tenantId: 'acme', name: 'Caf\u00e9 "quoted"\n\u{1F511} \u0007' },
    actor: admin,
    ...http,
  },
  { seal: 6 },
  {
    stream: `apikey-${KEY_A}`,
    type: 'ApiKeyMetadataChanged',
    data: { keyId: KEY_A, tenantId: 'acme', metadata: { plan: 'pro', seats: 1e21, ratio: 0.1 } },
    actor: admin,
    ...http,
  },
  {
    stream: `apikey-${KEY_G}`,
    type: 'ApiKeyRevoked',
    data: { keyId: KEY_G, tenantId: 'globex', reason: 'leaked', revokedAt: T0 },
    actor: admin,
  },
  {
    stream: 'usage-vectors-20260101',
    type: 'UsageRecorded',
    data: { entries: [{ keyId: KEY_A, endpoint: 'GET /orders', statusClass: '2xx', count: 3 }] },
    actor: { type: 'system', id: 'usage' },
  },
  {
    stream: `apikey-${KEY_A2}`,
    type: 'ApiKeyCreated',
    data: keyCreated(KEY_A2, 'acme', { environment: 'test', scopes: [] }),
    actor: admin,
    ...http,
  },
  {
    stream: `apikey-${KEY_A}`,
    type: 'ApiKeyScopesChanged',
    data: { keyId: KEY_A, tenantId: 'acme', scopes: ['orders:read', 'orders:write'] },
    actor: admin,
  },
  { seal: 5 },
  {
    stream: `apikey-${KEY_G2}`,
    type: 'ApiKeyCreated',
    data: keyCreated(KEY_G2, 'globex'),
    actor: admin,
  },
  {
    stream: `rootkey-${ROOT}`,
    type: 'RootKeyRevoked',
    data: { rootKeyId: ROOT, reason: null },
    actor: { type: 'cli', id: 'vectors' },
  },
  { seal: 2 },
  {
    stream: `apikey-${KEY_A}`,
    type: 'ApiKeyRevoked',
    data: { keyId: KEY_A, tenantId: 'acme', reason: null, revokedAt: T0 },
    actor: admin,
    ...http,
  },
  {
    stream: `apikey-${KEY_G2}`,
    type: 'ApiKeyRenamed',
    data: { keyId: KEY_G2, tenantId: 'globex', name: 'globex, renamed' },
    actor: admin,
  },
  {
    stream: `apikey-${KEY_A2}`,
    type: 'ApiKeyRenamed',
    data: { keyId: KEY_A2, tenantId: 'acme', name: 'acme test key' },
    actor: admin,
  },
];

/** UUIDs from a counter: event ids and request ids of the vectors. */
function counterIds(prefix: string): IdGenerator {
  let n = 0;
  return { uuid: () => `${prefix}-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}` };
}

export const TENANTS = ['acme', 'globex'] as const;

/** Writes the log, seals it, exports both tenants; returns every file of the vectors folder. */
export async function generateVectors(): Promise<VectorFiles> {
  const pem = readFileSync(join(VECTORS_DIR, PRIVATE_KEY_FILE), 'utf8');
  const signer = signerFromPrivateKey(createPrivateKey(pem));
  const clock = new ManualClock(T0);
  const eventIds = counterIds('00000000');
  const requestIds = counterIds('11111111');
  const store = SqliteEventStore.open(':memory:');
  try {
    const sealer = new CheckpointSealer(store, signer, clock, counterIds('22222222'));
    for (const entry of LOG) {
      clock.advance(1000);
      if ('seal' in entry) {
        const sealed = await sealer.sealNext({ maxLeaves: entry.seal, minLeaves: entry.seal });
        if (sealed.kind !== 'sealed') throw new Error(`could not seal ${entry.seal} events`);
        continue;
      }
      const [last] = await store.readStream(entry.stream, { direction: 'backwards', maxCount: 1 });
      const events = chainEvents(
        entry.stream,
        last?.revision,
        last?.metadata.hash ?? GENESIS_HASH,
        [
          {
            id: eventIds.uuid(),
            type: entry.type,
            data: entry.data,
            metadata: {
              schemaVersion: 1,
              occurredAt: clock.now().toISOString(),
              actor: entry.actor,
              requestId: requestIds.uuid(),
              ip: entry.ip,
              userAgent: entry.userAgent,
            },
          },
        ],
      );
      await store.append(entry.stream, events, last?.revision ?? 'no_stream');
    }
    clock.advance(1000);

    const files: VectorFiles = {};
    const trailers: Record<string, TrailerLine> = {};
    const exporter = new TenantAuditExport(store, signer, clock);
    for (const tenant of TENANTS) {
      let text = '';
      for await (const chunk of exporter.chunks(
        { tenantId: tenant },
        { onTrailer: (t) => (trailers[tenant] = t) },
      )) {
        text += chunk;
      }
      files[`${tenant}.ndjson`] = text;
    }
    const all = await store.readAll({ maxCount: 1000 });
    const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
    files['expected.json'] = json(expected(all, files, trailers, signer.keyId));
    files['public-keys.json'] = json(publicKeyDocument([signer]));
    files['THROWAWAY-TEST-ONLY-signing-key.pub.pem'] = publicKeyDocument([signer]).keys[0].pem;
    return files;
  } finally {
    await store.close();
  }
}

/** Every intermediate value an implementer may want to compare with, computed by the code. */
function expected(
  all: readonly RecordedEvent[],
  files: VectorFiles,
  trailers: Record<string, TrailerLine>,
  keyId: string,
) {
  const hex = (b: Buffer) => b.toString('hex');
  const events = all.map((e) => {
    const { hash, ...withoutHash } = e.metadata;
    const hashInput =
      e.metadata.prevHash +
      canonicalJson({
        stream: e.stream,
        revision: Number(e.revision),
        type: e.type,
        data: e.data,
        metadata: withoutHash,
      });
    return {
      position: e.position.commit.toString(),
      stream: e.stream,
      revision: Number(e.revision),
      type: e.type,
      tenant: e.stream === AUDIT_CHECKPOINT_STREAM ? null : tenantOf(e),
      hashInput,
      hash,
    };
  });
  const leavesOf = (data: CheckpointData) =>
    all.filter((e) => {
      const p = e.position.commit;
      const after = data.range.after === null ? -1n : BigInt(data.range.after.commit);
      return (
        e.stream !== AUDIT_CHECKPOINT_STREAM && p > after && p <= BigInt(data.range.last.commit)
      );
    });
  const checkpoints = all
    .filter((e) => e.stream === AUDIT_CHECKPOINT_STREAM)
    .map((e) => {
      const data = e.data as unknown as CheckpointData;
      const leaves = leavesOf(data);
      const tenantLeaves = leaves
        .map((l) => ({
          tenant: tenantOf(l),
          tenantDigest: tenantDigest(tenantOf(l)),
          eventHash: Buffer.from(l.metadata.hash, 'hex'),
          position: l.position.commit,
        }))
        .sort(
          (a, b) =>
            Buffer.compare(a.tenantDigest, b.tenantDigest) || Number(a.position - b.position),
        );
      return {
        sequence: data.sequence,
        position: e.position.commit.toString(),
        checkpointEventHash: e.metadata.hash,
        leafPositions: leaves.map((l) => l.position.commit.toString()),
        merkleLeafHashes: leaves.map((l) => hex(leafHash(Buffer.from(l.metadata.hash, 'hex')))),
        merkleRoot: data.merkleRoot,
        tenantLeaves: tenantLeaves.map((l) => ({
          position: l.position.toString(),
          tenant: l.tenant,
          tenantDigest: hex(l.tenantDigest),
          eventHash: hex(l.eventHash),
          leafHash: hex(tenantLeafHash(l.tenantDigest, l.eventHash)),
        })),
        tenantRoot: data.tenantRoot,
        signingInput: checkpointStatement(data).toString('utf8'),
        signature: data.signature,
      };
    });
  const exports = Object.fromEntries(
    TENANTS.map((tenant) => {
      const text = files[`${tenant}.ndjson`];
      const body = text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1);
      const trailer = trailers[tenant];
      return [
        tenant,
        {
          file: `${tenant}.ndjson`,
          bytesBeforeTrailer: Buffer.byteLength(body),
          sha256: trailer.sha256,
          signingInput: trailerStatement(tenant, trailer, keyId).toString('utf8'),
          signature: trailer.signature,
        },
      ];
    }),
  );
  return {
    note: 'Test vectors of docs/audit-format.md, written by the code (test/audit-format/generate-vectors.ts). The signing key is a throwaway test key: never trust it for anything real.',
    keyId,
    tenantDigests: {
      acme: hex(tenantDigest('acme')),
      globex: hex(tenantDigest('globex')),
      '(no tenant)': hex(tenantDigest(null)),
    },
    genesisHash: GENESIS_HASH,
    events,
    checkpoints,
    exports,
  };
}
