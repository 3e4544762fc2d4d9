import { GENESIS_HASH, verifyStreamChain } from '../../event-store/hash-chain';
import { WrongExpectedRevision } from '../../event-store/event-store.port';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store.adapter';
import { randomIds } from '../../shared/ids';
import { encodeUsage } from '../domain/usage-encoding';
import type { UsageCount } from '../domain/usage-recorded';
import { UsageAppendFailed, UsageEventWriter } from './usage-event-writer';

const DAY_ONE = new Date('2026-03-01T23:59:59.000Z');
const DAY_TWO = new Date('2026-03-02T00:00:01.000Z');
const entry = (uses: number): UsageCount => ({
  tenantId: 'acme',
  keyId: '00000000-0000-4000-8000-00000000000a',
  endpoint: 'verify',
  status: 'unknown',
  minuteMs: Date.parse('2026-03-01T23:59:00.000Z'),
  uses,
  lastUsedMs: Date.parse('2026-03-01T23:59:30.000Z'),
  latencyMsSum: 0,
  latencyCount: 0,
});
const data = (...counts: UsageCount[]) => ({ groups: encodeUsage(counts), instanceId: 'node-1' });

describe('UsageEventWriter', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('chains one UsageRecorded event per write into the day stream of its instance', async () => {
    const writer = new UsageEventWriter(store, randomIds, 'node-1');
    await writer.write([entry(1)], DAY_ONE);
    await writer.write([entry(2), entry(3)], DAY_ONE);
    const events = await store.readStream('usage-node-1-20260301');
    expect(events.map((e) => [e.revision, e.type, e.data])).toEqual([
      [0n, 'UsageRecorded', data(entry(1))],
      [1n, 'UsageRecorded', data(entry(2), entry(3))],
    ]);
    expect(events[0].metadata).toMatchObject({
      prevHash: GENESIS_HASH,
      occurredAt: DAY_ONE.toISOString(),
      actor: { type: 'system', id: 'usage:node-1' },
    });
    expect(verifyStreamChain(events).ok).toBe(true);
  });

  it('starts a new stream on a new UTC day', async () => {
    const writer = new UsageEventWriter(store, randomIds, 'node-1');
    await writer.write([entry(1)], DAY_ONE);
    await writer.write([entry(1)], DAY_TWO);
    expect(await store.readStream('usage-node-1-20260302')).toHaveLength(1);
  });

  it('continues the chain of a stream written before a restart', async () => {
    await new UsageEventWriter(store, randomIds, 'node-1').write([entry(1)], DAY_ONE);
    await new UsageEventWriter(store, randomIds, 'node-1').write([entry(2)], DAY_ONE);
    const events = await store.readStream('usage-node-1-20260301');
    expect(events).toHaveLength(2);
    expect(verifyStreamChain(events).ok).toBe(true);
  });

  it('refuses to fork the chain when another writer appended to its stream, then recovers', async () => {
    const mine = new UsageEventWriter(store, randomIds, 'node-1');
    const impostor = new UsageEventWriter(store, randomIds, 'node-1');
    await mine.write([entry(1)], DAY_ONE);
    await impostor.write([entry(2)], DAY_ONE);
    const failure = await mine.write([entry(3)], DAY_ONE).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UsageAppendFailed);
    expect((failure as UsageAppendFailed).cause).toBeInstanceOf(WrongExpectedRevision);
    expect(await mine.wasWritten((failure as UsageAppendFailed).unconfirmed)).toBe(false);
    await mine.write([entry(3)], DAY_ONE);
    const events = await store.readStream('usage-node-1-20260301');
    expect(events).toHaveLength(3);
    expect(verifyStreamChain(events).ok).toBe(true);
  });

  it('tells whether an event is the last one of its stream', async () => {
    const writer = new UsageEventWriter(store, randomIds, 'node-1');
    await writer.write([entry(1)], DAY_ONE);
    const [last] = await store.readStream('usage-node-1-20260301');
    const stream = 'usage-node-1-20260301';
    expect(await writer.wasWritten({ stream, eventId: last.id })).toBe(true);
    expect(await writer.wasWritten({ stream, eventId: randomIds.uuid() })).toBe(false);
    expect(await writer.wasWritten({ stream: 'usage-node-1-20990101', eventId: last.id })).toBe(
      false,
    );
  });
});
