import { createHash, randomUUID } from 'node:crypto';
import type { ApiKeyEvent } from '../../domain/api-key.events';
import {
  evolveApiKey,
  initialApiKeyState,
  type ApiKeyState,
  type KeyMetadata,
} from '../../domain/api-key.state';
import { compileScopes } from '../../../shared/scope-matching';
import {
  apiKeyCreated,
  apiKeyRevoked,
  apiKeyRotated,
  isoAt,
} from '../../../../test/support/factories';
import { KeyEventLog } from '../../../../test/support/key-events';
import type { KeyRecord } from '../key-directory.port';
import { MemoryKeyDirectory } from './memory-key-directory';
import type { KeyRecordView } from './verifiable-keys';

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** A fixed pseudo-random sequence, so that a failure can be replayed. */
function randomFrom(seed: number): <T>(choices: readonly T[]) => T {
  let state = seed;
  return (choices) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return choices[state % choices.length];
  };
}

/** What the directory should hold: each key folded with the domain's own `evolve`. */
function fold(events: readonly ReturnType<KeyEventLog['add']>[]): Map<string, KeyRecord> {
  const states = new Map<string, { state: ApiKeyState; revision: number }>();
  for (const event of events) {
    const keyId = (event.data as { keyId: string }).keyId;
    const before = states.get(keyId);
    const state = evolveApiKey(
      before?.state ?? initialApiKeyState,
      { type: event.type, data: event.data } as unknown as ApiKeyEvent,
      event.metadata.occurredAt,
    );
    states.set(keyId, { state, revision: Number(event.revision) });
  }
  const records = new Map<string, KeyRecord>();
  for (const [keyId, { state, revision }] of states) {
    if (!state.exists) continue;
    const { exists: _exists, ...fields } = state;
    records.set(keyId, { ...fields, revision });
  }
  return records;
}

describe('MemoryKeyDirectory', () => {
  it('holds what folding each key with evolve gives, through every kind of change', async () => {
    const pick = randomFrom(42);
    const log = new KeyEventLog();
    const keys: { keyId: string; tenantId: string }[] = [];
    for (let i = 0; i < 400; i++) {
      const created = apiKeyCreated({
        keyId: pick([randomUUID(), `key-${i}`]),
        tenantId: pick(['acme', 'globex', 'ключ-tenant']),
        name: pick(['CI', `key ${i}`, 'Zahlungsdienst — prod 🔑', '']),
        environment: pick(['live', 'test'] as const),
        kind: pick(['secret', 'publishable'] as const),
        scopes: pick([['orders:read'], ['orders:*', 'invoices:read'], ['*']]),
        expiresAt: pick([null, isoAt(3600), '2030-01-01T00:00:00Z']),
        rateLimit: pick([null, { limit: 10, windowSeconds: 60 }]),
        allowedIps: pick([null, ['10.0.0.0/8']]),
        allowedOrigins: pick([null, ['https://app.example.com']]),
        metadata: pick<KeyMetadata | null>([
          null,
          {},
          { plan: 'pro', seats: 3, trial: false, note: null },
        ]),
        keyHash: pick([hashOf(`k${i}`), `legacy-${i}`]),
        createdAt: pick(['2026-02-01T09:30:00.000Z', '2026-02-01T09:30:00Z']),
        rotatedFrom: pick([null, randomUUID()]),
      });
      log.add(created, pick(['2026-02-01T09:30:00.000Z', '2026-02-01T09:31:00.000Z']));
      keys.push(created.data);
    }
    const changes: ((key: { keyId: string; tenantId: string }, i: number) => ApiKeyEvent)[] = [
      (key, i) => ({ type: 'ApiKeyRenamed', data: { ...key, name: `renamed ${i} …` } }),
      (key) => ({ type: 'ApiKeyScopesChanged', data: { ...key, scopes: ['billing:read'] } }),
      (key) => ({ type: 'ApiKeyExpiryChanged', data: { ...key, expiresAt: isoAt(60) } }),
      (key) => ({ type: 'ApiKeyExpiryChanged', data: { ...key, expiresAt: null } }),
      (key) => ({
        type: 'ApiKeyRateLimitChanged',
        data: { ...key, rateLimit: { limit: 5, windowSeconds: 1 } },
      }),
      (key) => ({
        type: 'ApiKeyRestrictionsChanged',
        data: { ...key, allowedIps: null, allowedOrigins: ['https://other.example'] },
      }),
      (key, i) => ({ type: 'ApiKeyMetadataChanged', data: { ...key, metadata: { i } } }),
      (key) => ({ type: 'ApiKeyMetadataChanged', data: { ...key, metadata: null } }),
      (key) => apiKeyRotated(key),
      (key) => apiKeyRevoked(key, { reason: pick([null, '', 'leaked']) }),
    ];
    for (let i = 0; i < 1500; i++) {
      log.add(pick(changes)(pick(keys), i), isoAt(i));
    }
    const directory = new MemoryKeyDirectory();
    for (const event of log.events) directory.apply(event);

    const expected = fold(log.events);
    expect(await directory.count()).toBe(expected.size);
    for (const [keyId, record] of expected) {
      expect(await directory.findById(record.tenantId, keyId)).toEqual(record);
      expect(await directory.findByHash(record.keyHash)).toEqual(record);
      const view = directory.lookup(record.keyHash)?.record as KeyRecordView | undefined;
      expect(view?.toJSON()).toEqual(record);
      expect(JSON.parse(JSON.stringify(view))).toEqual(record);
    }
  });

  it('verifies from a view that reads as the record, and sees a change at once', async () => {
    const directory = new MemoryKeyDirectory();
    const log = new KeyEventLog();
    const key = apiKeyCreated({
      keyHash: hashOf('secret'),
      scopes: ['orders:*'],
      expiresAt: isoAt(3600),
      metadata: { plan: 'pro' },
    }).data;
    directory.apply(log.add({ type: 'ApiKeyCreated', data: key }));

    const before = directory.lookup(hashOf('secret'));
    const record = await directory.findById(key.tenantId, key.keyId);
    expect(before).toBeDefined();
    expect(record).toBeDefined();
    const view = before!.record;
    for (const field of Object.keys(record!) as (keyof KeyRecord)[]) {
      expect(view[field]).toEqual(record![field]);
    }
    expect(before!.scopes.missing(['orders:read', 'billing:read'])).toEqual(
      compileScopes(['orders:*']).missing(['orders:read', 'billing:read']),
    );
    expect(before!.expiresAtIso).toBe(key.expiresAt);
    expect(before!.expiresAtMs).toBe(Date.parse(key.expiresAt!));
    expect(directory.lookup(hashOf('secret'))).toBe(before);

    directory.apply(log.add(apiKeyRevoked(key, { revokedAt: isoAt(10) })));
    const after = directory.lookup(hashOf('secret'));
    expect(after).not.toBe(before);
    expect(after?.record.revokedAt).toBe(isoAt(10));
    expect(directory.lookup(hashOf('not a key'))).toBeUndefined();
  });

  it('finds keys past the first chunk of rows, by id and by hash', async () => {
    const directory = new MemoryKeyDirectory();
    const log = new KeyEventLog();
    const ids: string[] = [];
    for (let i = 0; i < 70_000; i++) {
      const key = apiKeyCreated({ keyId: randomUUID(), keyHash: hashOf(`k${i}`) }).data;
      ids.push(key.keyId);
      directory.apply(log.add({ type: 'ApiKeyCreated', data: key }));
    }
    for (const i of [0, 65_535, 65_536, 69_999]) {
      expect((await directory.findById('acme', ids[i]))?.keyHash).toBe(hashOf(`k${i}`));
      expect(directory.lookup(hashOf(`k${i}`))?.record.keyId).toBe(ids[i]);
    }
  });
});
