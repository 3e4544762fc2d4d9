import { errorRateJump } from './error-rate.rule';
import { newEndpoints } from './new-endpoint.rule';
import { volumeSpike } from './volume-spike.rule';

const flat = (perHour: number) => Array.from({ length: 24 }, () => perHour);

describe('volumeSpike', () => {
  it('fires on a burst far above the hourly baseline, with the figures that triggered it', () => {
    expect(volumeSpike(1200, flat(100))).toEqual({
      lastHourUses: 1200,
      baselineHourlyMean: 100,
      baselineHourlyStdDev: 0,
      ratio: 12,
      threshold: 300,
    });
  });

  it('stays quiet on flat traffic and on ordinary ups and downs', () => {
    expect(volumeSpike(100, flat(100))).toBeNull();
    const noisy = flat(0).map((_, hour) => (hour % 2 ? 150 : 50));
    expect(volumeSpike(290, noisy)).toBeNull();
  });

  it('needs a burst of at least 100 uses: small numbers are noise', () => {
    expect(volumeSpike(99, flat(1))).toBeNull();
    expect(volumeSpike(100, flat(1))).toMatchObject({ lastHourUses: 100, threshold: 100 });
  });

  it('allows for a baseline that swings a lot (three standard deviations)', () => {
    const swinging = flat(0).map((_, hour) => (hour % 4 === 0 ? 400 : 0));
    expect(volumeSpike(600, swinging)).toBeNull();
    expect(volumeSpike(700, swinging)).toMatchObject({
      baselineHourlyMean: 100,
      baselineHourlyStdDev: 173.2051,
      threshold: 619.6152,
    });
  });

  it('wakes up on a dormant key that suddenly bursts', () => {
    expect(volumeSpike(500, flat(0))).toMatchObject({ ratio: null, threshold: 100 });
  });
});

describe('newEndpoints', () => {
  const seen = new Set(['GET /orders', 'POST /orders']);

  it('fires on an endpoint never used before, naming it with its uses', () => {
    const lastHour = new Map([
      ['GET /orders', 40],
      ['DELETE /admin/users', 3],
      ['GET /admin/export', 1],
    ]);
    expect(newEndpoints(lastHour, seen)).toEqual({
      newEndpoints: [
        { endpoint: 'DELETE /admin/users', uses: 3 },
        { endpoint: 'GET /admin/export', uses: 1 },
      ],
      endpointsSeenBefore: 2,
    });
  });

  it('stays quiet when every endpoint was seen before', () => {
    expect(newEndpoints(new Map([['POST /orders', 1_000]]), seen)).toBeNull();
  });

  it('stays quiet for a key with no past at all', () => {
    expect(newEndpoints(new Map([['GET /anything', 5]]), new Set())).toBeNull();
  });
});

describe('errorRateJump', () => {
  it('fires when the error rate is over the threshold and well above the baseline', () => {
    expect(errorRateJump({ errors: 30, known: 100 }, { errors: 20, known: 2000 })).toEqual({
      lastHourErrorRate: 0.3,
      lastHourErrors: 30,
      lastHourUsesWithStatus: 100,
      baselineErrorRate: 0.01,
      threshold: 0.25,
    });
  });

  it('fires when the baseline had no reported status at all', () => {
    expect(errorRateJump({ errors: 10, known: 20 }, { errors: 0, known: 0 })).toMatchObject({
      baselineErrorRate: null,
    });
  });

  it('stays quiet under the threshold, on too few uses, and for a key that always fails this much', () => {
    expect(errorRateJump({ errors: 24, known: 100 }, { errors: 0, known: 100 })).toBeNull();
    expect(errorRateJump({ errors: 19, known: 19 }, { errors: 0, known: 100 })).toBeNull();
    expect(errorRateJump({ errors: 50, known: 100 }, { errors: 400, known: 1000 })).toBeNull();
  });
});
