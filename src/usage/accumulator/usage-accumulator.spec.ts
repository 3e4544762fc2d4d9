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
    expect(buffer.metrics.recorded).toBe(6);
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
    expect(buffer.metrics).toMatchObject({ recorded: 3, dropped: 1 });
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
    expect(buffer.metrics.dropped).toBe(1);
    buffer.written(taken);
    expect(buffer.metrics).toMatchObject({ flushed: 2, flushes: 1 });
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
    expect(buffer.metrics).toMatchObject({ recorded: 2, dropped: 2, flushed: 0 });
    expect(buffer.size()).toBe(0);
  });

  describe('verify uses, summed in batches', () => {
    const KEY_C = '00000000-0000-4000-8000-00000000000c';
    /** The verifier hands the same object for every use of an unchanged key. */
    const verified = (keyId: string, tenantId = 'acme') => ({ record: { keyId, tenantId } });
    const [A, B, C] = [verified(KEY_A), verified(KEY_B), verified(KEY_C)];

    it('sums every one exactly, across many batches, a minute change and reported uses', () => {
      const buffer = new UsageAccumulator(100);
      const keys = [A, B, C];
      for (let i = 0; i < 5_000; i++) {
        const atMs = T0 + 59_000 + Math.floor(i / 2); // the last 2 500 fall in the next minute
        buffer.recordVerified(keys[i % 3], i % 5 === 0 ? 'GET /orders' : 'verify', atMs);
        if (i === 1_234) buffer.record(KEY_A, 'acme', 'verify', '2xx', atMs, 7);
      }
      const cells = buffer.take();
      const uses = (keyId: string, endpoint: string, minuteMs: number) =>
        cells.find((c) => c.keyId === keyId && c.endpoint === endpoint && c.minuteMs === minuteMs)
          ?.uses;
      const total = cells.reduce((sum, cell) => sum + cell.uses, 0);
      expect(total).toBe(5_001);
      expect(buffer.metrics).toMatchObject({ recorded: 5_001, dropped: 0 });
      expect(cells).toHaveLength(3 * 2 * 2 + 1);
      // Key A: i ≡ 0 (mod 3); of those, 'GET /orders' when i ≡ 0 (mod 15).
      expect(uses(KEY_A, 'GET /orders', T0)).toBe(134);
      expect(uses(KEY_A, 'verify', T0)).toBe(667 - 134);
      expect(cells.find((c) => c.status === '2xx')).toMatchObject({
        keyId: KEY_A,
        tenantId: 'acme',
        uses: 1,
        latencyMsSum: 7,
        latencyCount: 1,
      });
      const lastOfA = cells.filter((c) => c.keyId === KEY_A && c.status === 'unknown');
      expect(Math.max(...lastOfA.map((c) => c.lastUsedMs))).toBe(T0 + 59_000 + 2_499);
    });

    it('counts a changed key (a new object with the same id) in the same counters', () => {
      const buffer = new UsageAccumulator(100);
      buffer.recordVerified(A, 'verify', T0);
      buffer.recordVerified(verified(KEY_A), 'verify', T0 + 1);
      buffer.record(KEY_B, 'globex', 'verify', 'unknown', T0);
      buffer.recordVerified(verified(KEY_B, 'globex'), 'verify', T0 + 2);
      const cells = buffer.take().sort((a, b) => (a.keyId < b.keyId ? -1 : 1));
      expect(cells.map((c) => [c.keyId, c.tenantId, c.uses, c.lastUsedMs])).toEqual([
        [KEY_A, 'acme', 2, T0 + 1],
        [KEY_B, 'globex', 2, T0 + 2],
      ]);
    });

    it('asks for the early flush as soon as a verify use reaches half the bound', () => {
      const buffer = new UsageAccumulator(8);
      const calls: number[] = [];
      buffer.whenHalfFull(() => calls.push(buffer.size()));
      for (const key of [A, A, B, C]) buffer.recordVerified(key, 'v', T0);
      expect(calls).toEqual([]);
      buffer.recordVerified(verified('00000000-0000-4000-8000-00000000000d'), 'v', T0);
      expect(calls).toEqual([4]);
    });

    it('drops and counts the ones that need a new counter once the buffer is full', () => {
      const buffer = new UsageAccumulator(2);
      for (const key of [A, B, C, A]) buffer.recordVerified(key, 'v', T0);
      expect(buffer.metrics).toMatchObject({ recorded: 3, dropped: 1 });
      expect(buffer.take().map((cell) => [cell.keyId, cell.uses])).toEqual([
        [KEY_A, 2],
        [KEY_B, 1],
      ]);
    });

    it('leaves the counters a flush took alone: later uses go to the next flush', () => {
      const buffer = new UsageAccumulator(100);
      buffer.recordVerified(A, 'verify', T0);
      const taken = buffer.take();
      buffer.recordVerified(A, 'verify', T0 + 1);
      buffer.recordVerified(A, 'verify', T0 + 2);
      expect(taken.map((cell) => cell.uses)).toEqual([1]);
      expect(buffer.size()).toBe(2);
      expect(buffer.take()).toEqual([
        expect.objectContaining({ keyId: KEY_A, uses: 2, lastUsedMs: T0 + 2 }),
      ]);
    });
  });
});
