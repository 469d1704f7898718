import { ConfigReader } from '@backstage/config';
import { DEFAULT_LIMITS, readLimitsConfig } from './config';

describe('readLimitsConfig', () => {
  it('has defaults within DigitalOcean’s 250 calls a minute', () => {
    const limits = readLimitsConfig(new ConfigReader({}));
    expect(limits).toEqual(DEFAULT_LIMITS);
    expect(limits.interactive).toEqual({ requests: 30, perMs: 60_000 });
    expect(limits.accountNameChecks).toEqual({ requests: 20, perMs: 60_000 });
  });

  it('reads each limit, keeping the default of what a limit leaves out', () => {
    const limits = readLimitsConfig(
      new ConfigReader({
        docr: {
          limits: {
            interactiveCallsPerMinute: 50,
            nameCheckCallsPerMinute: 40,
            maxConcurrentListings: 2,
            perUser: {
              nameChecks: { requests: 20, per: { minutes: 5 } },
              coldPreviews: { per: 'PT30S' },
            },
          },
        },
      }),
    );
    expect(limits).toEqual({
      interactive: { requests: 50, perMs: 60_000 },
      accountNameChecks: { requests: 40, perMs: 60_000 },
      maxConcurrentListings: 2,
      nameChecks: { requests: 20, perMs: 300_000 },
      coldPreviews: { requests: 3, perMs: 30_000 },
    });
  });

  it('names the key of a bad value', () => {
    const read = (limits: object) => () =>
      readLimitsConfig(new ConfigReader({ docr: { limits } }));
    expect(read({ interactiveCallsPerMinute: 0 })).toThrow(
      'docr.limits.interactiveCallsPerMinute must be a positive integer',
    );
    expect(read({ perUser: { nameChecks: { requests: 1.5 } } })).toThrow(
      'docr.limits.perUser.nameChecks.requests must be a positive integer',
    );
    expect(read({ perUser: { coldPreviews: { per: 'soon' } } })).toThrow(
      'docr.limits.perUser.coldPreviews.per is not a valid duration',
    );
  });
});
