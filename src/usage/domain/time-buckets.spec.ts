import { bucketStart, bucketStarts } from './time-buckets';
import { statusClassOf, usageStream } from './usage-recorded';

const ms = (iso: string) => Date.parse(iso);

describe('time buckets', () => {
  it('start at the minute, the hour and midnight UTC', () => {
    const at = ms('2026-03-01T12:34:56.789Z');
    expect(new Date(bucketStart(at, 'minute')).toISOString()).toBe('2026-03-01T12:34:00.000Z');
    expect(new Date(bucketStart(at, 'hour')).toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(new Date(bucketStart(at, 'day')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('list the buckets that start in [from, to)', () => {
    const starts = bucketStarts(ms('2026-03-01T10:00:00Z'), ms('2026-03-01T13:00:00Z'), 'hour');
    expect(starts.map((start) => new Date(start).toISOString())).toEqual([
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T11:00:00.000Z',
      '2026-03-01T12:00:00.000Z',
    ]);
    expect(bucketStarts(ms('2026-03-01T10:00:01Z'), ms('2026-03-01T11:00:00Z'), 'hour')).toEqual(
      [],
    );
  });
});

describe('UsageRecorded', () => {
  it('classes statuses by their hundreds', () => {
    expect([100, 204, 302, 404, 429, 500, 599].map(statusClassOf)).toEqual([
      '1xx',
      '2xx',
      '3xx',
      '4xx',
      '4xx',
      '5xx',
      '5xx',
    ]);
  });

  it('goes to one stream per instance and UTC day', () => {
    expect(usageStream('a1b2c3', new Date('2026-03-01T23:59:59.999Z'))).toBe(
      'usage-a1b2c3-20260301',
    );
    expect(usageStream('a1b2c3', new Date('2026-03-02T00:00:00.000Z'))).toBe(
      'usage-a1b2c3-20260302',
    );
  });
});
