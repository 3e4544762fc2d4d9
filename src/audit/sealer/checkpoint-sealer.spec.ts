import { generateKeyPairSync, verify } from 'node:crypto';
import type { EventStore, NewEvent, RecordedEvent } from '../../event-store/event-store.port';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store.adapter';
import { ManualClock } from '../../shared/clock';
import { randomIds } from '../../shared/ids';
import {
  AUDIT_CHECKPOINT_STREAM,
  checkpointStatement,
  type CheckpointData,
} from '../checkpoint/audit-checkpoint';
import { CheckpointTrees } from '../checkpoint/checkpoint-trees';
import { GENESIS_HASH, chainEvents } from '../../event-store/hash-chain';
import { ed25519PublicKeyFromRaw, signerFromPrivateKey } from '../signing/audit-signer';
import { CheckpointSealer, leafOf } from './checkpoint-sealer';

const newSigner = () => signerFromPrivateKey(generateKeyPairSync('ed25519').privateKey);

/** Appends one hash-chained event to a fresh stream of tenant `tenantId`. */
async function appendKeyEvent(store: EventStore, tenantId: string, n: number): Promise<void> {
  const keyId = randomIds.uuid();
  const [event] = chainEvents(`apikey-${keyId}`, undefined, GENESIS_HASH, [
    {
      id: randomIds.uuid(),
      type: 'ApiKeyRenamed',
      data: { keyId, tenantId, name: `key ${n}` },
      metadata: {
        schemaVersion: 1,
        occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
        actor: { type: 'system', id: 'test' },
        requestId: `req-${n}`,
      },
    },
  ]);
  await store.append(`apikey-${keyId}`, [event], 'no_stream');
}

async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  return store.readAll({ maxCount: 10_000 });
}

const checkpointsOf = async (store: EventStore) =>
  (await store.readStream(AUDIT_CHECKPOINT_STREAM)).map((e) => e.data as unknown as CheckpointData);

describe('CheckpointSealer', () => {
  let store: SqliteEventStore;
  const clock = new ManualClock('2026-02-01T00:00:00.000Z');

  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('seals contiguous ranges of at most N events; each root, range and signature checks out', async () => {
    for (let n = 0; n < 11; n++) await appendKeyEvent(store, n % 2 ? 'acme' : 'globex', n);
    const signer = newSigner();
    const sealer = new CheckpointSealer(store, signer, clock, randomIds);
    const sealed = await sealer.sealAll(4);

    expect(sealed.map((c) => c.treeSize)).toEqual([4, 4, 3]);
    expect(sealed.map((c) => c.sequence)).toEqual([0, 1, 2]);
    expect(sealed[0].range.after).toBeNull();
    expect(sealed[1].range.after).toEqual(sealed[0].range.last);
    expect(sealed[2].range.after).toEqual(sealed[1].range.last);
    expect(sealed[0]).toMatchObject({
      previousCheckpointHash: GENESIS_HASH,
      firstOccurredAt: '2026-01-01T00:00:00.000Z',
      lastOccurredAt: '2026-01-01T00:00:03.000Z',
      sealedAt: clock.now().toISOString(),
      keyId: signer.keyId,
    });

    const events = (await allEvents(store)).filter((e) => e.stream !== AUDIT_CHECKPOINT_STREAM);
    const trees = new CheckpointTrees(events.slice(0, 4).map(leafOf));
    expect(sealed[0].merkleRoot).toBe(trees.merkleRoot());
    expect(sealed[0].tenantRoot).toBe(trees.tenantRoot());
    const key = ed25519PublicKeyFromRaw(signer.publicKey);
    for (const checkpoint of sealed) {
      const signature = Buffer.from(checkpoint.signature, 'base64');
      expect(verify(null, checkpointStatement(checkpoint), key, signature)).toBe(true);
    }
    const stored = await store.readStream(AUDIT_CHECKPOINT_STREAM);
    expect(stored[1].metadata.prevHash).toBe(stored[0].metadata.hash);
    expect(sealed[1].previousCheckpointHash).toBe(stored[0].metadata.hash);
    expect(stored[0].metadata.actor).toEqual({ type: 'system', id: 'audit-sealer' });
  });

  it('never makes a checkpoint a leaf, and seals only full ranges when asked to', async () => {
    for (let n = 0; n < 3; n++) await appendKeyEvent(store, 'acme', n);
    const sealer = new CheckpointSealer(store, newSigner(), clock, randomIds);
    expect(await sealer.sealNext({ maxLeaves: 5, minLeaves: 5 })).toEqual({
      kind: 'not-enough',
      pending: 3,
    });
    expect(await sealer.sealNext({ maxLeaves: 5, minLeaves: 1 })).toMatchObject({ kind: 'sealed' });
    expect(await sealer.sealNext({ maxLeaves: 5, minLeaves: 1 })).toEqual({
      kind: 'not-enough',
      pending: 0,
    });
    await appendKeyEvent(store, 'acme', 3);
    const result = await sealer.sealNext({ maxLeaves: 5, minLeaves: 1 });
    expect(result).toMatchObject({ kind: 'sealed', checkpoint: { sequence: 1, treeSize: 1 } });
  });

  it('continues where the last checkpoint ended after a restart, even with another key', async () => {
    for (let n = 0; n < 5; n++) await appendKeyEvent(store, 'acme', n);
    await new CheckpointSealer(store, newSigner(), clock, randomIds).sealAll(10);
    for (let n = 5; n < 8; n++) await appendKeyEvent(store, 'acme', n);
    const restarted = new CheckpointSealer(store, newSigner(), clock, randomIds);
    const [next] = await restarted.sealAll(10);
    const [first] = await checkpointsOf(store);
    expect(next).toMatchObject({ sequence: 1, treeSize: 3, range: { after: first.range.last } });
    expect(await restarted.sealAll(10)).toEqual([]);
  });

  it('lets exactly one of two racing sealers seal a range: no range twice, none skipped', async () => {
    for (let n = 0; n < 9; n++) await appendKeyEvent(store, 'acme', n);
    // Both sealers read the same last checkpoint before either appends.
    let waiting: (() => void)[] = [];
    const gate: EventStore = Object.create(store) as EventStore;
    gate.append = async (stream: string, events: readonly NewEvent[], expected) => {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 2) {
          waiting.forEach((release) => release());
          waiting = [];
        }
      });
      return store.append(stream, events, expected);
    };
    const [a, b] = [newSigner(), newSigner()].map(
      (s) => new CheckpointSealer(gate, s, clock, randomIds),
    );
    const results = await Promise.all([
      a.sealNext({ maxLeaves: 4, minLeaves: 1 }),
      b.sealNext({ maxLeaves: 4, minLeaves: 1 }),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(['lost-race', 'sealed']);

    const plain = new CheckpointSealer(store, newSigner(), clock, randomIds);
    await plain.sealAll(4);
    const checkpoints = await checkpointsOf(store);
    expect(checkpoints.map((c) => c.sequence)).toEqual([0, 1, 2]);
    expect(checkpoints.reduce((sum, c) => sum + c.treeSize, 0)).toBe(9);
    checkpoints
      .slice(1)
      .forEach((c, i) => expect(c.range.after).toEqual(checkpoints[i].range.last));
  });
});
