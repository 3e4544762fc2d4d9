import { ValidationFailed } from '../../shared/errors';
import { usageRange } from './usage-range';

const NOW = new Date('2026-03-01T12:34:56.000Z');

describe('usageRange', () => {
  it('defaults to the last 24 hours by the hour, up to now', () => {
    expect(usageRange({}, NOW)).toEqual({
      granularity: 'hour',
      from: new Date('2026-02-28T13:00:00.000Z'),
      to: NOW,
    });
  });

  it('defaults to 60 minutes by the minute and 30 days by the day', () => {
    expect(usageRange({ granularity: 'minute' }, NOW).from).toEqual(
      new Date('2026-03-01T11:35:00.000Z'),
    );
    expect(usageRange({ granularity: 'day' }, NOW).from).toEqual(
      new Date('2026-01-31T00:00:00.000Z'),
    );
  });

  it('takes from and to as given', () => {
    const range = usageRange(
      { from: '2026-02-01T00:00:00Z', to: '2026-02-02T00:00:00Z', granularity: 'minute' },
      NOW,
    );
    expect(range).toEqual({
      granularity: 'minute',
      from: new Date('2026-02-01T00:00:00Z'),
      to: new Date('2026-02-02T00:00:00Z'),
    });
  });

  it('refuses from at or after to, and more than 1440 points', () => {
    expect(() =>
      usageRange({ from: '2026-03-01T12:00:00Z', to: '2026-03-01T12:00:00Z' }, NOW),
    ).toThrow(
      new ValidationFailed('Invalid usage range', [
        { field: 'from', message: 'from must be before to' },
      ]),
    );
    const tooLong = {
      from: '2026-02-01T00:00:00Z',
      to: '2026-02-02T00:00:01Z',
      granularity: 'minute' as const,
    };
    expect(() => usageRange(tooLong, NOW)).toThrow(ValidationFailed);
    expect(() => usageRange(tooLong, NOW)).toThrow(
      expect.objectContaining({
        details: [
          {
            field: 'granularity',
            message: 'the range holds 1441 minute buckets; at most 1440 per query',
          },
        ],
      }),
    );
  });
});
