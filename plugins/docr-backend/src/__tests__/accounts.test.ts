import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';

/** Two accounts that both have a registry named acme-prod: names are unique per account only. */
const seedOf = (storageMiB: number, extra: string[] = []): EmulatorSeed => ({
  account: { subscriptionTier: 'professional' },
  registries: [
    {
      name: 'acme-prod',
      images: [{ repository: 'api', tag: 'latest', sizeMiB: storageMiB }],
    },
    ...extra.map(name => ({
      name,
      images: [{ repository: 'web', tag: 'latest', sizeMiB: 5 }],
    })),
  ],
});

const window = {
  windows: [
    { days: ['mon'], start: '09:00', duration: 'PT2H', timezone: 'UTC' },
  ],
};

describe('several DigitalOcean accounts', () => {
  const clock = new TestClock(Date.parse('2026-11-23T08:00:00Z')); // a Monday
  let main: DoEmulator;
  let teamB: DoEmulator;
  let docr: DocrTestBackend;
  const checked: string[] = [];

  beforeAll(async () => {
    main = await DoEmulator.start({ seed: seedOf(10), clock: clock.now });
    teamB = await DoEmulator.start({
      seed: seedOf(30, ['team-b-tools']),
      clock: clock.now,
      gcStepMs: MINUTE,
    });
    docr = await startDocrBackend({
      emulatorUrl: main.url,
      clock,
      digitalocean: {
        accounts: [
          { id: 'default', apiUrl: main.url, token: 'a' },
          { id: 'team-b', apiUrl: teamB.url, token: 'b' },
        ],
      },
      docr: {
        garbageCollection: {
          default: { windows: [] },
          accounts: { 'team-b': { registries: { 'team-b-tools': window } } },
        },
      },
      features: [
        mockServices.permissions.mock({
          authorize: async (requests: any[]) =>
            requests.map(r => {
              checked.push(`${r.permission.name} ${r.resourceRef ?? ''}`);
              // Only team-b's acme-prod may be collected by hand.
              const allowed =
                r.permission.name !== 'docr.garbage-collection.run' ||
                r.resourceRef === 'resource:team-b/docr-acme-prod';
              return {
                result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
              };
            }),
        }).factory,
      ],
    });
    await docr.tick();
  });

  afterAll(async () => {
    await docr?.stop();
    await main?.stop();
    await teamB?.stop();
  });

  it('lists every collected account, the default one first named so', async () => {
    const res = await docr.api('get', '/accounts');
    expect(res.body.items).toEqual([
      { id: 'default', default: true },
      { id: 'team-b', default: false },
    ]);
  });

  it("collects each account's registries, each with its own storage", async () => {
    const mine = await docr.api('get', '/registries');
    const theirs = await docr.api('get', '/accounts/team-b/registries');
    expect(mine.body.items.map((r: any) => r.name)).toEqual(['acme-prod']);
    expect(theirs.body.items.map((r: any) => r.name)).toEqual([
      'acme-prod',
      'team-b-tools',
    ]);
    const prod = (items: any[]) => items.find(r => r.name === 'acme-prod');
    const MiB = 1024 * 1024;
    expect(prod(mine.body.items).storageBytes).toBeGreaterThan(10 * MiB);
    expect(prod(mine.body.items).storageBytes).toBeLessThan(11 * MiB);
    expect(prod(theirs.body.items).storageBytes).toBeGreaterThan(30 * MiB);
    expect(prod(theirs.body.items).storageBytes).toBeLessThan(31 * MiB);
    const defaultAlias = await docr.api('get', '/accounts/default/registries');
    expect(defaultAlias.body).toEqual(mine.body);
  });

  it("checks permissions on the registry's entity in its account's namespace", async () => {
    checked.length = 0;
    await docr.api('get', '/accounts/team-b/registries/acme-prod');
    await docr.api('get', '/registries/acme-prod');
    expect(checked).toEqual([
      'docr.registry.read resource:team-b/docr-acme-prod',
      'docr.registry.read resource:default/docr-acme-prod',
    ]);
  });

  it("keeps one account's policy apart from another's registry of the same name", async () => {
    const put = await docr.api(
      'put',
      '/accounts/team-b/registries/acme-prod/policy',
      window,
    );
    expect(put.status).toBe(200);
    const theirs = await docr.api(
      'get',
      '/accounts/team-b/registries/acme-prod/policy',
    );
    const mine = await docr.api('get', '/registries/acme-prod/policy');
    expect(theirs.body.source).toBe('api');
    expect(theirs.body.policy.windows).toHaveLength(1);
    expect(mine.body.source).toBe('default');
    expect(mine.body.policy.windows).toHaveLength(0);
  });

  it("names the account's config key for a policy app-config manages", async () => {
    const res = await docr.api(
      'put',
      '/accounts/team-b/registries/team-b-tools/policy',
      window,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(
      'docr.garbageCollection.accounts.team-b.registries.team-b-tools',
    );
  });

  it("runs each account's windows against that account only", async () => {
    clock.set('2026-11-23T09:05:00Z');
    await docr.tick();
    const gcRequests = (emulator: DoEmulator) =>
      emulator.requests.count('registries_run_garbageCollection');
    expect(gcRequests(teamB)).toBe(2); // acme-prod (API policy) and team-b-tools (config)
    expect(gcRequests(main)).toBe(0); // no window for the default account
    const runs = await docr.api(
      'get',
      '/accounts/team-b/registries/acme-prod/gc-runs',
    );
    expect(runs.body.items).toHaveLength(1);
    const mine = await docr.api('get', '/registries/acme-prod/gc-runs');
    expect(mine.body.items).toHaveLength(0);
  });

  it('refuses a GC by hand on the registry of the account the user may not act on', async () => {
    const res = await docr.api('post', '/registries/acme-prod/gc-runs', {});
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'Not allowed: docr.garbage-collection.run on resource:default/docr-acme-prod',
    );
    expect(main.requests.count('registries_run_garbageCollection')).toBe(0);
  });

  it('answers 404 for an unknown account, naming no collected one (GET /accounts lists those the user may read)', async () => {
    const res = await docr.api('get', '/accounts/team-c/registries');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain(
      'collects no DigitalOcean account "team-c" (GET /api/docr/accounts lists those you may read',
    );
    expect(res.body.error.message).not.toContain('team-b');
  });
});
