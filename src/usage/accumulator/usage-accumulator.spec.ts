import { UsageAccumulator } from './usage-accumulator';

const KEY_A = '00000000-0000-4000-8000-00000000000a';
const KEY_B = '00000000-0000-4000-8000-00000000000b';
const T0 = Date.parse('2026-03-01T12:00:00.000Z');

describe('UsageAccumulator', () => {
  it('sums uses per key × endpoint × status class × minute', () => {
    const buffer = new UsageAccumulator(100);
    buffer.record(KEY_A, 'acme', 'verify', 'unknown', T0 + 1_000);
    buffer.record(KEY_A, 'acme', 'verify', 'unknown', T0 + 59_999);
    buffer.record(KEY_A, 'acme', 'verify', 'unknown', T0 + 60_000);
    buffer.record(KEY_A, 'acme', 'GET /orders', 'unknown', T0);
    buffer.record(KEY_A, 'acme', 'verify', '2xx', T0, 12);
    buffer.record(KEY_B, 'acme', 'verify', 'unknown', T0);
    expect(buffer.take()).toEqual([
      expect.objectContaining({
        tenantId: 'acme',
        keyId: KEY_A,
        endpoint: 'verify',
        status: 'unknown',
        minuteMs: T0,
        uses: 2,
        lastUsedMs: T0 + 59_999,
        latencyMsSum: 0,
        latencyCount: 0,
      }),
      expect.objectContaining({ keyId: KEY_A, minuteMs: T0 + 60_000, uses: 1 }),
      expect.objectContaining({ keyId: KEY_A, endpoint: 'GET /orders', uses: 1 }),
      expect.objectContaining({ status: '2xx', uses: 1, latencyMsSum: 12, latencyCount: 1 }),
      expect.objectContaining({ keyId: KEY_B, uses: 1 }),
    ]);
    expect(buffer.counters.recorded).toBe(6);
  });

  it('keeps an endpoint that looks like another counter apart from it', () => {
    const buffer = new UsageAccumulator(100);
    buffer.record(KEY_A, 'acme', 'x', '2xx', T0);
    buffer.record(KEY_A, 'acme', 'x', '2xx', T0 + 60_000);
    buffer.record(KEY_A, 'acme', `${T0 + 60_000}|x`, '2xx', T0);
    expect(buffer.take()).toHaveLength(3);
  });

  it('asks for a flush when half full, and only when it gets there', () => {
    const buffer = new UsageAccumulator(4);
    const calls: number[] = [];
    buffer.whenHalfFull(() => calls.push(buffer.size()));
    buffer.record(KEY_A, 'acme', 'a', '2xx', T0);
    buffer.record(KEY_A, 'acme', 'a', '2xx', T0);
    expect(calls).toEqual([]);
    buffer.record(KEY_A, 'acme', 'b', '2xx', T0);
    buffer.record(KEY_A, 'acme', 'c', '2xx', T0);
    expect(calls).toEqual([2]);
  });

  it('when full, drops and counts uses that need a new counter, and still counts the others', () => {
    const buffer = new UsageAccumulator(2);
    buffer.record(KEY_A, 'acme', 'a', '2xx', T0);
    buffer.record(KEY_A, 'acme', 'b', '2xx', T0);
    buffer.record(KEY_A, 'acme', 'c', '2xx', T0);
    buffer.record(KEY_A, 'acme', 'a', '2xx', T0);
    expect(buffer.counters).toMatchObject({ recorded: 3, dropped: 1 });
    expect(buffer.hasRoomFor(1)).toBe(false);
    expect(buffer.take().map((cell) => [cell.endpoint, cell.uses])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('counts taken counters against the bound until they are written', () => {
    const buffer = new UsageAccumulator(2);
    buffer.record(KEY_A, 'acme', 'a', '2xx', T0);
    buffer.record(KEY_A, 'acme', 'b', '2xx', T0);
    const taken = buffer.take();
    buffer.record(KEY_A, 'acme', 'c', '2xx', T0);
    expect(buffer.counters.dropped).toBe(1);
    buffer.written(taken);
    expect(buffer.counters).toMatchObject({ flushed: 2, flushes: 1 });
    buffer.record(KEY_A, 'acme', 'c', '2xx', T0);
    expect(buffer.size()).toBe(1);
  });

  it('sums counters given back after a failed flush into what was recorded since', () => {
    const buffer = new UsageAccumulator(10);
    buffer.record(KEY_A, 'acme', 'a', '4xx', T0 + 5_000, 10);
    const taken = buffer.take();
    buffer.record(KEY_A, 'acme', 'a', '4xx', T0 + 1_000, 30);
    buffer.record(KEY_A, 'acme', 'b', '4xx', T0);
    buffer.giveBack(taken);
    expect(buffer.take()).toEqual([
      expect.objectContaining({
        endpoint: 'a',
        uses: 2,
        lastUsedMs: T0 + 5_000,
        latencyMsSum: 40,
        latencyCount: 2,
      }),
      expect.objectContaining({ endpoint: 'b', uses: 1 }),
    ]);
    expect(buffer.size()).toBe(2);
  });

  it('counts abandoned counters as dropped uses', () => {
    const buffer = new UsageAccumulator(10);
    buffer.record(KEY_A, 'acme', 'a', '2xx', T0);
    buffer.record(KEY_A, 'acme', 'a', '2xx', T0);
    buffer.abandon(buffer.take());
    expect(buffer.counters).toMatchObject({ recorded: 2, dropped: 2, flushed: 0 });
    expect(buffer.size()).toBe(0);
  });
});
