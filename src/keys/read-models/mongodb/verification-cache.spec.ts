import { randomBytes, randomUUID } from 'node:crypto';
import { apiKeyCreated, apiKeyRevoked } from '../../../../test/support/factories';
import { KeyEventLog } from '../../../../test/support/key-events';
import type { ApiKeyCreated } from '../../domain/api-key.events';
import { evolveApiKey, initialApiKeyState } from '../../domain/api-key.state';
import type { KeyRecord, VerifiableKey } from '../key-directory.port';
import { VerificationCache, type CacheMissSource } from './verification-cache';

/** A key directory held in a Map, with switches for freshness and a hook inside each read. */
class FakeDirectory implements CacheMissSource {
  readonly records = new Map<string, KeyRecord>();
  fresh = true;
  reads = 0;
  folds = 0;
  duringRead?: () => void;
  folded?: KeyRecord;

  directoryIsFresh(): Promise<boolean> {
    return Promise.resolve(this.fresh);
  }

  async findByHash(keyHash: string): Promise<KeyRecord | undefined> {
    this.reads++;
    const found = this.records.get(keyHash);
    await Promise.resolve();
    const hook = this.duringRead;
    this.duringRead = undefined;
    hook?.();
    return found;
  }

  foldFromStore(): Promise<KeyRecord | undefined> {
    this.folds++;
    return Promise.resolve(this.folded);
  }

  put(data: ApiKeyCreated['data'], revision = 0, changes: Partial<KeyRecord> = {}): KeyRecord {
    const state = evolveApiKey(initialApiKeyState, { type: 'ApiKeyCreated', data }, data.createdAt);
    if (!state.exists) throw new Error('unreachable');
    const record = { ...state, revision, ...changes };
    this.records.set(data.keyHash, record);
    return record;
  }
}

const newKey = () =>
  apiKeyCreated({ keyId: randomUUID(), keyHash: randomBytes(32).toString('hex') }).data;

describe('VerificationCache', () => {
  let directory: FakeDirectory;
  let cache: VerificationCache;
  let log: KeyEventLog;
  let now: number;

  beforeEach(() => {
    directory = new FakeDirectory();
    now = 1_000_000;
    cache = new VerificationCache(directory, {
      maxEntries: 100,
      negativeTtlMs: 1000,
      nowMs: () => now,
    });
    log = new KeyEventLog();
  });

  it('answers a key created after start from memory, synchronously, without reading', () => {
    const key = newKey();
    cache.apply(log.add({ type: 'ApiKeyCreated', data: key }));
    const found = cache.lookup(key.keyHash) as VerifiableKey;
    expect(found.record).toMatchObject({ keyId: key.keyId, revision: 0 });
    expect(directory.reads).toBe(0);
  });

  it('reads a miss once, however many ask at the same time, then answers from memory', async () => {
    const key = newKey();
    directory.put(key);
    const answers = await Promise.all([cache.lookup(key.keyHash), cache.lookup(key.keyHash)]);
    expect(answers.map((a) => a?.record.keyId)).toEqual([key.keyId, key.keyId]);
    expect(directory.reads).toBe(1);
    expect(cache.lookup(key.keyHash)).toBe(answers[0]);
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 1, misses: 2 });
  });

  it('remembers an unknown hash for the negative TTL only', async () => {
    const hash = randomBytes(32).toString('hex');
    expect(await cache.lookup(hash)).toBeUndefined();
    expect(cache.lookup(hash)).toBeUndefined(); // synchronous: no read
    expect(directory.reads).toBe(1);
    now += 1001;
    expect(await cache.lookup(hash)).toBeUndefined();
    expect(directory.reads).toBe(2);
  });

  it('forgets that a hash was unknown as soon as a key with it is created', async () => {
    const key = newKey();
    expect(await cache.lookup(key.keyHash)).toBeUndefined();
    cache.apply(log.add({ type: 'ApiKeyCreated', data: key }));
    expect((cache.lookup(key.keyHash) as VerifiableKey).record.keyId).toBe(key.keyId);
  });

  it('folds a revocation into the cached key at once', async () => {
    const key = newKey();
    log.add({ type: 'ApiKeyCreated', data: key });
    directory.put(key);
    await cache.lookup(key.keyHash);
    cache.apply(log.add(apiKeyRevoked(key, { revokedAt: '2026-03-01T12:00:00.000Z' })));
    const found = cache.lookup(key.keyHash) as VerifiableKey;
    expect(found.record).toMatchObject({ revokedAt: '2026-03-01T12:00:00.000Z', revision: 1 });
  });

  it('drops a cached key when an event arrives past a gap, and reads it again', async () => {
    const key = newKey();
    directory.put(key);
    await cache.lookup(key.keyHash);
    log.add({ type: 'ApiKeyCreated', data: key });
    log.add({
      type: 'ApiKeyRenamed',
      data: { keyId: key.keyId, tenantId: key.tenantId, name: 'a' },
    });
    const third = log.add(apiKeyRevoked(key));
    cache.apply(third);
    directory.put(key, 2, { revokedAt: '2026-03-01T11:59:00.000Z' });
    const found = await cache.lookup(key.keyHash);
    expect(found?.record).toMatchObject({ revision: 2, revokedAt: '2026-03-01T11:59:00.000Z' });
    expect(directory.reads).toBe(2);
  });

  it('folds the key from the store when the directory lags, and does not keep that answer', async () => {
    const key = newKey();
    directory.put(key);
    directory.fresh = false;
    directory.folded = {
      ...directory.put(key),
      revokedAt: '2026-03-01T11:00:00.000Z',
      revision: 1,
    };
    const found = await cache.lookup(key.keyHash);
    expect(found?.record.revokedAt).toBe('2026-03-01T11:00:00.000Z');
    expect(directory.folds).toBe(1);
    await cache.lookup(key.keyHash);
    expect(directory.folds).toBe(2);
  });

  it('does not remember an unknown hash while the directory lags', async () => {
    directory.fresh = false;
    const hash = randomBytes(32).toString('hex');
    expect(await cache.lookup(hash)).toBeUndefined();
    expect(await cache.lookup(hash)).toBeUndefined();
    expect(directory.reads).toBe(2);
  });

  it('reads again when the key changed while it was being read', async () => {
    const key = newKey();
    log.add({ type: 'ApiKeyCreated', data: key });
    directory.put(key);
    directory.duringRead = () => {
      cache.apply(log.add(apiKeyRevoked(key, { revokedAt: '2026-03-01T12:00:00.000Z' })));
      directory.put(key, 1, { revokedAt: '2026-03-01T12:00:00.000Z' });
    };
    const found = await cache.lookup(key.keyHash);
    expect(found?.record).toMatchObject({ revision: 1, revokedAt: '2026-03-01T12:00:00.000Z' });
    expect(directory.reads).toBe(2);
  });

  it('holds at most maxEntries keys, the oldest leaving first', async () => {
    cache = new VerificationCache(directory, { maxEntries: 2, negativeTtlMs: 1000 });
    const keys = [newKey(), newKey(), newKey()];
    for (const key of keys) directory.put(key);
    for (const key of keys) await cache.lookup(key.keyHash);
    expect(cache.stats().entries).toBe(2);
    expect(cache.lookup(keys[2].keyHash)).not.toBeInstanceOf(Promise);
    expect(cache.lookup(keys[0].keyHash)).toBeInstanceOf(Promise);
  });
});
