import {
  DoEmulator,
  demoSeedPath,
  loadSeedFile,
} from '@backstage-docr/do-emulator';
import { Portal, startPortal } from '../__testUtils__/portal';
import {
  STARTUP_TIMEOUT,
  TEST_TIMEOUT,
  runsFor,
  TEMPLATES,
  dryRunLog,
  dryRun,
  registriesIn,
} from '../__testUtils__/templateRuns';

it('has values for every template in templates/', () => {
  expect(TEMPLATES.map(t => t.file).sort()).toEqual(
    Object.keys(runsFor('x')).sort(),
  );
});

describe('every template on the demo account (Professional, three registries)', () => {
  let emulator: DoEmulator;
  let portal: Portal;

  beforeAll(async () => {
    emulator = await DoEmulator.start({
      validateResponses: true,
      seed: loadSeedFile(demoSeedPath),
    });
    portal = await startPortal({ emulatorUrl: emulator.url });
  }, STARTUP_TIMEOUT);

  afterAll(async () => {
    await portal?.stop();
    await emulator?.stop();
  }, STARTUP_TIMEOUT);

  it.each(TEMPLATES.map(t => [t.file, t.name]))(
    '%s: a dry run changes nothing, the run completes on the account’s tier',
    async (file, templateName) => {
      const run = runsFor('shop')[file];
      const before = registriesIn(emulator);
      expect(emulator.account.subscription?.tierSlug).toBe('professional');

      emulator.requests.reset();
      const dry = await dryRun(portal, file, run.values);
      expect([dry.status, dry.body?.error?.message]).toEqual([200, undefined]);
      expect(dryRunLog(dry)).toContain('the account stays on professional');
      expect(emulator.requests.count('registries_list')).toBeGreaterThan(0);
      expect(emulator.requests.mutating()).toEqual([]);
      expect(registriesIn(emulator)).toEqual(before);

      emulator.requests.reset();
      const task = await portal.runTask(templateName, run.values);
      expect(task.log).not.toContain('Error');
      expect(task.status).toBe('completed');
      expect(registriesIn(emulator)).toEqual({
        ...before,
        ...run.registries,
      });
      expect(emulator.account.subscription?.tierSlug).toBe('professional');
      expect(emulator.requests.count('registries_update_subscription')).toBe(0);
      expect(task.log).toContain('Tier: the account stays on professional');
      // Every registry ends up with a policy that has windows: it is collected on a schedule.
      for (const name of Object.keys(run.registries)) {
        const policy = await portal.api.get(
          `/api/docr/registries/${name}/policy`,
        );
        expect(policy.status).toBe(200);
        expect(policy.body.policy.windows.length).toBeGreaterThan(0);
      }
      // The template's retention rules, with their defaults, are part of the stored policy.
      const first = await portal.api.get(
        `/api/docr/registries/${Object.keys(run.registries)[0]}/policy`,
      );
      expect(first.body.policy.retention?.rules ?? []).toEqual(
        run.retention ?? [],
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'staggers the production pair’s windows so both are never read-only at once',
    async () => {
      const [primary, secondary] = await Promise.all(
        ['shop-fra1', 'shop-ams3'].map(name =>
          portal.api.get(`/api/docr/registries/${name}/policy`),
        ),
      );
      expect(primary.body.policy).toMatchObject({
        cancelAtWindowEnd: true,
        windows: [{ days: ['sun'], start: '03:00', duration: 'PT2H' }],
      });
      expect(secondary.body.policy).toMatchObject({
        cancelAtWindowEnd: true,
        windows: [{ days: ['sun'], start: '05:00', duration: 'PT2H' }],
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses the pair in one region, naming the field, and creates nothing',
    async () => {
      const before = registriesIn(emulator);
      emulator.requests.reset();
      const task = await portal.runTask('docr-production-registries', {
        name: 'twin',
        primaryRegion: 'fra1',
        secondaryRegion: 'fra1',
        timezone: 'UTC',
      });
      expect(task.status).toBe('failed');
      expect(task.log).toContain(
        'secondaryRegion (alsoCreating.0.region): "fra1" is also the region of twin-fra1; the registries of this template need different regions',
      );
      expect(emulator.requests.mutating()).toEqual([]);
      expect(registriesIn(emulator)).toEqual(before);
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses an unknown region, naming the field, and creates nothing',
    async () => {
      const before = registriesIn(emulator);
      emulator.requests.reset();
      const created = await portal.api.post('/api/scaffolder/v2/tasks', {
        templateRef: 'template:default/docr-dev-registry',
        values: { name: 'mars-dev', region: 'mars1', gcDay: 'sun' },
      });
      expect(created.status).toBe(400);
      expect(JSON.stringify(created.body.errors)).toContain('instance.region');
      const dry = await dryRun(portal, 'dev-registry.yaml', {
        name: 'mars-dev',
        region: 'mars1',
      });
      expect(dry.status).toBe(400);
      expect(JSON.stringify(dry.body)).toContain('instance.region');
      expect(emulator.requests.mutating()).toEqual([]);
      expect(registriesIn(emulator)).toEqual(before);
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses a taken name, naming the field, and creates nothing (the pair checks its second name before the first create)',
    async () => {
      const before = registriesIn(emulator);
      emulator.requests.reset();
      const dev = await portal.runTask('docr-dev-registry', {
        name: 'acme',
        region: 'fra1',
        gcDay: 'sun',
      });
      expect(dev.status).toBe('failed');
      expect(dev.log).toContain(
        'name: "acme" is taken by another DigitalOcean account',
      );

      emulator.account.takenNames.add('mall-ams3');
      const pair = await portal.runTask('docr-production-registries', {
        name: 'mall',
        primaryRegion: 'fra1',
        secondaryRegion: 'ams3',
        timezone: 'UTC',
      });
      expect(pair.status).toBe('failed');
      expect(pair.log).toContain(
        'alsoCreating.0.name: "mall-ams3" is taken by another DigitalOcean account',
      );
      expect(emulator.requests.mutating()).toEqual([]);
      expect(registriesIn(emulator)).toEqual(before);
    },
    TEST_TIMEOUT,
  );
});
