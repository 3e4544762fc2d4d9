import { canonicalIsoMillis } from './iso-millis';

/** What the shortcut must agree with: the round trip through `Date`. */
function byRoundTrip(text: string): number {
  const ms = Date.parse(text);
  return Number.isFinite(ms) && new Date(ms).toISOString() === text ? ms : Number.NaN;
}

describe('canonicalIsoMillis', () => {
  it('reads back the instant of every toISOString text from year 0 to 9999', () => {
    const first = Date.parse('0000-01-01T00:00:00.000Z');
    const last = Date.parse('9999-12-31T23:59:59.999Z');
    // A fixed pseudo-random walk over the whole range, plus both ends.
    let seed = 12345;
    const instants = [first, last, 0, -1, Date.parse('2024-02-29T23:59:59.999Z')];
    for (let i = 0; i < 20_000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      instants.push(first + Math.floor((seed / 2 ** 32) * (last - first)));
    }
    for (const ms of instants) expect(canonicalIsoMillis(new Date(ms).toISOString())).toBe(ms);
  });

  it.each([
    '2026-02-29T00:00:00.000Z',
    '2026-02-30T00:00:00.000Z',
    '2026-04-31T00:00:00.000Z',
    '1900-02-29T00:00:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-00-01T00:00:00.000Z',
    '2026-01-00T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T00:60:00.000Z',
    '2026-01-01T00:00:60.000Z',
    '2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00.000+00:00',
    '2026-01-01 00:00:00.000Z',
    '2026-01-01t00:00:00.000Z',
    '2026-1-01T00:00:00.000Z',
    '2026-01-01T00:00:00.0a0Z',
    '',
  ])('gives NaN for %j, which is not what toISOString would give', (text) => {
    expect(canonicalIsoMillis(text)).toBeNaN();
    expect(byRoundTrip(text)).toBeNaN();
  });

  it('leaves years outside 0 to 9999 (six-digit forms) to the caller, as not canonical', () => {
    for (const text of ['+010000-01-01T00:00:00.000Z', '-000001-01-01T00:00:00.000Z']) {
      expect(byRoundTrip(text)).not.toBeNaN();
      expect(canonicalIsoMillis(text)).toBeNaN();
    }
  });

  it('accepts 29 February in leap years only', () => {
    expect(canonicalIsoMillis('2000-02-29T12:00:00.000Z')).toBe(
      byRoundTrip('2000-02-29T12:00:00.000Z'),
    );
    expect(canonicalIsoMillis('2100-02-29T12:00:00.000Z')).toBeNaN();
  });
});
