import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { ManualClock } from '@backstage-docr/do-emulator';
import {
  DEFAULT_REFRESH_LIMITS,
  RefreshPacer,
  readRefreshLimits,
} from './refreshPacing';

const MINUTE = 60_000;

describe('RefreshPacer', () => {
  function pacer() {
    const clock = new ManualClock(Date.parse('2026-12-03T08:00:00Z'));
    const trigger = jest.fn(async () => 'triggered' as const);
    const stopping = new AbortController();
    const paced = new RefreshPacer({
      minIntervalMs: MINUTE,
      clock,
      trigger,
      signal: stopping.signal,
      logger: mockServices.logger.mock(),
    });
    return { clock, trigger, paced, stopping };
  }

  it('starts a run at once, and defers every request within the interval to one run at its end', async () => {
    const { clock, trigger, paced } = pacer();
    expect(await paced.request()).toEqual({ status: 'triggered' });
    clock.advance(20_000);
    const later = await Promise.all([1, 2, 3].map(() => paced.request()));
    expect(later).toEqual(
      Array(3).fill({
        status: 'deferred',
        startsAt: '2026-12-03T08:01:00.000Z',
      }),
    );
    expect(trigger).toHaveBeenCalledTimes(1);
    await clock.whenSleeping(1);
    clock.advance(39_999);
    expect(trigger).toHaveBeenCalledTimes(1);
    clock.advance(1);
    await new Promise(resolve => setImmediate(resolve));
    expect(trigger).toHaveBeenCalledTimes(2);
    // The deferred run counts as the last: the next request within a minute waits again.
    expect((await paced.request()).status).toBe('deferred');
  });

  it('drops a deferred run when the backend stops', async () => {
    const { clock, trigger, paced, stopping } = pacer();
    await paced.request();
    await paced.request();
    await clock.whenSleeping(1);
    stopping.abort();
    clock.advance(MINUTE);
    await new Promise(resolve => setImmediate(resolve));
    expect(trigger).toHaveBeenCalledTimes(1);
  });
});

describe('readRefreshLimits', () => {
  const key = 'catalog.providers.digitalocean.default';
  const read = (refresh?: object) =>
    readRefreshLimits(new ConfigReader(refresh ? { refresh } : {}), key);

  it('has a minute between runs and ten refreshes per user every ten minutes by default', () => {
    expect(read()).toEqual(DEFAULT_REFRESH_LIMITS);
    expect(DEFAULT_REFRESH_LIMITS).toEqual({
      minIntervalMs: MINUTE,
      perUser: { requests: 10, perMs: 10 * MINUTE },
    });
  });

  it('reads each value, keeping the default of what it leaves out', () => {
    expect(
      read({ minInterval: 'PT5M', perUser: { per: { hours: 1 } } }),
    ).toEqual({
      minIntervalMs: 5 * MINUTE,
      perUser: { requests: 10, perMs: 60 * MINUTE },
    });
  });

  it('names the key of a bad value', () => {
    expect(() => read({ minInterval: 'soon' })).toThrow(
      `${key}.refresh.minInterval is not a valid duration`,
    );
    expect(() => read({ perUser: { requests: 0 } })).toThrow(
      `${key}.refresh.perUser.requests must be a positive integer`,
    );
    expect(() => read({ perUser: { per: 'later' } })).toThrow(
      `${key}.refresh.perUser.per is not a valid duration`,
    );
  });
});
