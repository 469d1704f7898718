import { DoEmulator, type SeedRegistry } from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';

jest.setTimeout(120_000);

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

describe('savings: what garbage collection freed, month by month, and what it avoided paying', () => {
  let clock: TestClock;
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  async function start(tier: string, registries: SeedRegistry[]) {
    clock = new TestClock(Date.parse('2026-10-31T22:00:00Z'));
    emulator = await DoEmulator.start({
      clock: () => clock.ms,
      gcStepMs: MINUTE,
      validateResponses: true,
      seed: { account: { subscriptionTier: tier }, registries },
    });
    docr = await startDocrBackend({ emulatorUrl: emulator.url, clock });
    await docr.tick(); // the listing, and the subscription's tier
  }

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  /** Runs a GC now on the registry and follows it to its end; DigitalOcean's freed bytes. */
  async function collect(registry: string): Promise<number> {
    expect(
      (await docr.api('post', `/registries/${registry}/gc-runs`, {})).status,
    ).toBe(201);
    clock.advance(5 * MINUTE);
    await docr.tick();
    const [run] = emulator.account.getRegistry(registry).gcRuns;
    expect(run.status).toBe('succeeded');
    return run.freedBytes;
  }

  const savings = async (path: string) => {
    const res = await docr.api('get', path);
    expect(res.status).toBe(200);
    return res.body;
  };

  it("sums DigitalOcean's freed bytes into the months of the account's time zone, and prices the overage they avoided", async () => {
    // Basic: 5 GiB included, overage at 2 cents a GiB (the emulator's options endpoint).
    await start('basic', [
      {
        name: 'acme-dev',
        images: [
          { repository: 'web', tag: 'latest', sizeMiB: 2048, pushes: 3 },
        ],
      },
    ]);
    // 22:05 UTC on Oct 31st is 23:05 in Berlin: October in both.
    const october = await collect('acme-dev');
    expect(october).toBeGreaterThan(4 * GIB - 10 * MIB); // two of three 2 GiB pushes
    clock.set('2026-10-31T23:30:00Z'); // 00:30 on Nov 1st in Berlin, still October in UTC
    emulator.push('acme-dev', 'web', 'latest', [{ size: 512 * MIB }]);
    emulator.push('acme-dev', 'web', 'latest', [{ size: 512 * MIB }]);
    const november = await collect('acme-dev');
    expect(november).toBeGreaterThan(512 * MIB);

    const berlin = await savings(
      '/registries/acme-dev/savings?months=2&timezone=Europe/Berlin',
    );
    expect(berlin.months.map((m: any) => [m.month, m.freedBytes])).toEqual([
      ['2026-10', october],
      ['2026-11', november],
    ]);
    expect(berlin.totals.freedBytes).toBe(october + november);
    const utc = await savings('/registries/acme-dev/savings?months=2');
    expect(utc.timezone).toBe('UTC');
    // In UTC it is still October: both collections are October's.
    expect(utc.months.map((m: any) => [m.month, m.freedBytes])).toEqual([
      ['2026-09', 0],
      ['2026-10', october + november],
    ]);

    // The tier as DigitalOcean reports it; the account's storage after both GCs is ~2 GiB,
    // so without them it would be past 5 GiB by what was freed beyond the included storage.
    expect(berlin.tier).toEqual({
      slug: 'basic',
      name: 'Basic',
      includedStorageBytes: 5 * GIB,
      storageOveragePriceInCents: 2,
      allowStorageOverage: true,
    });
    const [, nov] = berlin.months;
    const overageCents = (bytes: number) =>
      (Math.max(0, bytes - 5 * GIB) / GIB) * 2;
    expect(nov.overageAvoidedCents).toBeCloseTo(
      overageCents(nov.storageBytes + october + november) -
        overageCents(nov.storageBytes),
      2,
    );
    expect(nov.overageAvoidedCents).toBeGreaterThan(0);
  });

  it("adds up the account's registries the caller may read, and answers CSV for a download", async () => {
    await start('professional', [
      {
        name: 'acme-dev',
        images: [{ repository: 'web', tag: 'latest', sizeMiB: 30, pushes: 3 }],
      },
      {
        name: 'acme-ci',
        images: [{ repository: 'job', tag: 'v1', sizeMiB: 20, pushes: 2 }],
      },
    ]);
    const dev = await collect('acme-dev');
    const ci = await collect('acme-ci');
    const account = await savings('/savings?months=1');
    expect(account.registries).toEqual(['acme-ci', 'acme-dev']);
    expect(account.totals.freedBytes).toBe(dev + ci);
    expect(account.totals.runs).toBe(2);

    const csv = await docr.api(
      'get',
      '/registries/acme-ci/savings?months=1&format=csv',
    );
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(
      'docr-savings-acme-ci.csv',
    );
    expect(csv.text.split('\n')).toEqual([
      'month,runs,freed_bytes,retention_freed_bytes,tags_deleted,storage_bytes,overage_avoided_cents',
      expect.stringMatching(new RegExp(`^2026-10,1,${ci},0,0,\\d+,0$`)),
      '',
    ]);
  });

  it('refuses a time zone it does not know, naming it', async () => {
    await start('starter', [{ name: 'acme-dev' }]);
    const res = await docr.api('get', '/savings?timezone=Mars/Olympus');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('Mars/Olympus');
  });
});
