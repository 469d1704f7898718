import { DateTime } from 'luxon';
import { formatAxisTime, timeTicks } from './timeAxis';

const local = (iso: string) => DateTime.fromISO(iso).toMillis();

describe('timeTicks', () => {
  it('ticks every hour over a few hours, on the hour', () => {
    expect(
      timeTicks(local('2026-11-22T02:10:00'), local('2026-11-22T06:00:00')),
    ).toEqual(
      ['03:00', '04:00', '05:00', '06:00'].map(t => local(`2026-11-22T${t}`)),
    );
  });

  it('ticks on days, at most eight, over thirty days', () => {
    const ticks = timeTicks(
      local('2026-11-01T00:30:00'),
      local('2026-11-30T23:00:00'),
    );
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks[0]).toBe(local('2026-11-02T00:00:00'));
    for (const tick of ticks) {
      expect(DateTime.fromMillis(tick).toFormat('HH:mm')).toBe('00:00');
    }
  });
});

describe('formatAxisTime', () => {
  it('shows the hour over two days or less, the day beyond', () => {
    const time = local('2026-11-22T03:00:00');
    expect(formatAxisTime(time, 2 * 24 * 3600_000)).toBe('03:00');
    expect(formatAxisTime(time, 30 * 24 * 3600_000)).toBe('22 Nov');
  });
});
