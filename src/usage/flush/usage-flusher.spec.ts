import { Logger } from '@nestjs/common';
import { FlakyEventStore } from '../../../test/support/flaky-event-store';
import { loadConfig } from '../../config/config';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store.adapter';
import { ManualClock } from '../../shared/clock';
import { randomIds } from '../../shared/ids';
import { UsageAccumulator } from '../accumulator/usage-accumulator';
import { usesIn } from '../domain/usage-encoding';
import type { UsageRecorded } from '../domain/usage-recorded';
import { UsageEventWriter } from './usage-event-writer';
import { UsageFlusher } from './usage-flusher';

const KEY = '00000000-0000-4000-8000-00000000000a';
const STREAM = 'usage-node-1-20260301';

describe('UsageFlusher', () => {
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');
  let inner: SqliteEventStore;
  let store: FlakyEventStore;
  let buffer: UsageAccumulator;
  let flusher: UsageFlusher;
  let warnings: string[];
  let errors: string[];

  /** Uses of every UsageRecorded event written so far. */
  async function written(): Promise<number[]> {
    const events = await inner.readStream(STREAM);
    return events.map((e) => usesIn((e as unknown as UsageRecorded).data));
  }
  const use = (endpoint = 'verify') =>
    buffer.record(KEY, 'acme', endpoint, 'unknown', clock.now().getTime());

  beforeEach(() => {
    inner = SqliteEventStore.open(':memory:');
    store = new FlakyEventStore(inner);
    buffer = new UsageAccumulator(4);
    const config = loadConfig({ USAGE_INSTANCE_ID: 'node-1', USAGE_FLUSH_INTERVAL_MS: '60000' });
    flusher = new UsageFlusher(
      buffer,
      new UsageEventWriter(store, randomIds, 'node-1'),
      clock,
      config,
    );
    flusher.onApplicationBootstrap();
    warnings = [];
    errors = [];
    jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation((m: unknown) => void warnings.push(String(m)));
    jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation((m: unknown) => void errors.push(String(m)));
  });
  afterEach(async () => {
    store.down = false;
    await flusher.beforeApplicationShutdown();
    jest.restoreAllMocks();
    await inner.close();
  });

  it('writes everything recorded as one event per flush, and nothing when there is nothing', async () => {
    use();
    use();
    use('GET /orders');
    await flusher.flush();
    await flusher.flush();
    use();
    await flusher.flush();
    expect(await written()).toEqual([3, 1]);
    expect(buffer.metrics).toMatchObject({ recorded: 4, flushed: 4, flushes: 2, dropped: 0 });
  });

  it('keeps the uses of a refused flush and writes them with the next one', async () => {
    use();
    store.failAppends = 1;
    expect(await flusher.flush()).toBeUndefined();
    use();
    await flusher.flush();
    expect(await written()).toEqual([2]);
    expect(buffer.metrics).toMatchObject({ flushFailures: 1, flushed: 2 });
    expect(warnings).toEqual([
      expect.stringMatching(/^Usage flush failed; 1 uses kept for the next attempt: /),
    ]);
  });

  it('does not write uses twice when the store wrote a flush but the answer was lost', async () => {
    use();
    store.loseNextAck = true;
    await flusher.flush();
    use();
    await flusher.flush();
    expect(await written()).toEqual([1, 1]);
    expect(buffer.metrics).toMatchObject({ flushed: 2, flushFailures: 1, dropped: 0 });
  });

  it('waits while the store cannot say whether the lost flush was written', async () => {
    use();
    store.loseNextAck = true;
    await flusher.flush();
    store.down = true;
    use();
    await flusher.flush();
    store.down = false;
    await flusher.flush();
    expect(await written()).toEqual([1, 1]);
    expect(buffer.size()).toBe(0);
  });

  it('flushes early, without waiting for the timer, once the buffer is half full', async () => {
    use('a');
    use('b');
    await new Promise((resolve) => setImmediate(resolve));
    await flusher.flush();
    expect(await written()).toEqual([2]);
  });

  it('reports dropped uses in one log line per flush', async () => {
    store.down = true;
    for (const endpoint of ['a', 'b', 'c', 'd', 'e', 'f']) use(endpoint);
    await flusher.flush();
    expect(buffer.metrics.dropped).toBe(2);
    expect(warnings).toContain(
      'Usage buffer full (4 counters): 2 uses dropped since the last report',
    );
    await flusher.flush();
    expect(warnings.filter((line) => line.includes('dropped'))).toHaveLength(1);
  });

  it('at shutdown, counts and logs what the store would not take instead of losing it silently', async () => {
    use();
    use();
    store.down = true;
    await flusher.flushBeforeStoreCloses();
    expect(buffer.metrics).toMatchObject({ recorded: 2, flushed: 0, dropped: 2 });
    expect(errors).toEqual(['2 uses could not be written before shutdown and are lost']);
    store.down = false;
    expect(await written()).toEqual([]);
  });
});
