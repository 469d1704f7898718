import { forecastStorage } from './forecast';

const GIB = 1024 ** 3;
const day = (n: number) => new Date(Date.UTC(2026, 10, 1) + n * 86_400_000);

describe('forecastStorage', () => {
  it('finds the day a steady growth reaches the limit', () => {
    // 1 GiB on Nov 1st, growing 0.1 GiB a day for 30 days: 4 GiB on Dec 1st.
    const points = Array.from({ length: 31 }, (_, n) => ({
      at: day(n),
      bytes: GIB + n * 0.1 * GIB,
    }));
    const forecast = forecastStorage(points, 5 * GIB);
    expect(forecast.growthBytesPerDay).toBeCloseTo(0.1 * GIB, 0);
    // 1 GiB more at 0.1 GiB a day: ten days after the last point.
    expect(forecast.reachedAt?.toISOString()).toBe(day(40).toISOString());
    expect(forecast.alreadyReached).toBe(false);
  });

  it('keeps the trend of a noisy series', () => {
    const noise = [0.3, -0.2, 0.1, -0.3, 0.2, 0, -0.1, 0.25, -0.25, 0.05];
    const points = noise.map((n, i) => ({
      at: day(i * 3),
      bytes: (2 + i * 0.3 + n * 0.1) * GIB, // 0.1 GiB a day, ± 0.03 GiB
    }));
    const { growthBytesPerDay } = forecastStorage(points, 10 * GIB);
    expect(growthBytesPerDay! / GIB).toBeGreaterThan(0.095);
    expect(growthBytesPerDay! / GIB).toBeLessThan(0.105);
  });

  it('never reaches the limit when storage shrinks or stays, and says when it is past it', () => {
    const shrinking = [0, 1, 2].map(n => ({
      at: day(n),
      bytes: (3 - n) * GIB,
    }));
    expect(forecastStorage(shrinking, 5 * GIB)).toEqual({
      growthBytesPerDay: -GIB,
      alreadyReached: false,
    });
    const past = [0, 1].map(n => ({ at: day(n), bytes: (6 + n) * GIB }));
    expect(forecastStorage(past, 5 * GIB)).toEqual({
      growthBytesPerDay: GIB,
      alreadyReached: true,
    });
  });

  it('gives no growth from less than a day of samples', () => {
    expect(
      forecastStorage([{ at: day(0), bytes: GIB }], 5 * GIB).growthBytesPerDay,
    ).toBeUndefined();
  });
});
