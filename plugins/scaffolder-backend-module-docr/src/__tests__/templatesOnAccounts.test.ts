import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import {
  DoEmulator,
  EmulatorSeed,
  demoSeedPath,
  loadSeedFile,
} from '@backstage-docr/do-emulator';
import {
  Portal,
  loadTemplate,
  startPortal,
  templatesDir,
} from '../__testUtils__/portal';

/**
 * Every template in templates/ run to completion through the scaffolder's task API on the two
 * accounts a new user meets: the demo account (Professional, three registries) and an empty
 * Starter account. The tier in a template is a minimum: an account already high enough keeps
 * its tier, a raise needs the template's consent (allowTierRaise), nothing lowers it.
 */

const STARTUP_TIMEOUT = 120_000;
const TEST_TIMEOUT = 120_000;

const CLUSTER = {
  id: '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02',
  name: 'prod-ams3',
  region: 'ams3',
};

/** An account with a Starter subscription and no registry yet (and a DOKS cluster). */
const STARTER_SEED: EmulatorSeed = {
  account: { subscriptionTier: 'starter', takenNames: ['taken'] },
  clusters: [{ ...CLUSTER, registries: [] }],
};

interface TemplateRun {
  values: Record<string, unknown>;
  /** The registries (name → region) the template creates. */
  registries: Record<string, string>;
}

/** The values a user would give each template (defaults except names), by template file. */
function runsFor(prefix: string): Record<string, TemplateRun> {
  return {
    'dev-registry.yaml': {
      values: { name: `${prefix}-dev`, region: 'fra1', gcDay: 'sun' },
      registries: { [`${prefix}-dev`]: 'fra1' },
    },
    'staging-registry.yaml': {
      values: {
        name: `${prefix}-staging`,
        region: 'fra1',
        timezone: 'Europe/Berlin',
      },
      registries: { [`${prefix}-staging`]: 'fra1' },
    },
    'registry-with-doks.yaml': {
      values: {
        name: `${prefix}-k8s`,
        tier: 'starter',
        region: 'ams3',
        clusters: ['resource:default/doks-prod-ams3'],
        gcTimezone: 'UTC',
      },
      registries: { [`${prefix}-k8s`]: 'ams3' },
    },
    'production-registries.yaml': {
      values: {
        name: prefix,
        primaryRegion: 'fra1',
        secondaryRegion: 'ams3',
        timezone: 'Europe/Berlin',
      },
      registries: { [`${prefix}-fra1`]: 'fra1', [`${prefix}-ams3`]: 'ams3' },
    },
  };
}

/** Every Template in templates/, as file name and entity name. */
const TEMPLATES = fs
  .readdirSync(templatesDir)
  .filter(file => file.endsWith('.yaml'))
  .map(file => ({ file, entity: loadTemplate(file) }))
  .filter(({ entity }) => entity?.kind === 'Template')
  .map(({ file, entity }) => ({ file, name: entity.metadata.name as string }));

/** The tier's position in the emulator's catalogue, cheapest first (by price, as the action). */
function tierRank(emulator: DoEmulator, slug: string | undefined): number {
  const tiers = [...emulator.account.tiers].sort(
    (a, b) => (a.monthly_price_in_cents ?? 0) - (b.monthly_price_in_cents ?? 0),
  );
  return tiers.findIndex(t => t.slug === slug);
}

function dryRunLog(res: { body: any }): string {
  return (res.body.log ?? []).map((l: any) => l.body.message).join('\n');
}

async function dryRun(portal: Portal, file: string, values: object) {
  return portal.api.post('/api/scaffolder/v2/dry-run', {
    template: loadTemplate(file),
    values,
    directoryContents: [],
  });
}

/** Registry names and regions in the emulated account. */
function registriesIn(emulator: DoEmulator): Record<string, string> {
  return Object.fromEntries(
    [...emulator.account.registries.values()].map(r => [r.name, r.region]),
  );
}

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
      expect(dry.status).toBe(200);
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

describe('every template on an empty Starter account', () => {
  let emulator: DoEmulator;
  let portal: Portal;
  let fixtureDir: string;

  /** A fresh Starter account with no registries (same emulator, same portal). */
  function emptyStarterAccount() {
    emulator.loadSeed(STARTER_SEED);
    emulator.account.updateSubscription('starter');
  }

  beforeAll(async () => {
    emulator = await DoEmulator.start({
      validateResponses: true,
      seed: STARTER_SEED,
    });
    // A template that hands the action exactly the GC input the test gives (or none).
    fixtureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-templates-'));
    const fixture = path.join(fixtureDir, 'gc-template.yaml');
    fs.writeFileSync(
      fixture,
      yaml.dump({
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name: 'docr-test-gc-input' },
        spec: {
          type: 'resource',
          owner: 'group:default/platform',
          parameters: [
            {
              properties: {
                name: { type: 'string' },
                garbageCollection: { type: 'object' },
              },
            },
          ],
          steps: [
            {
              id: 'registry',
              action: 'digitalocean:registry:create',
              input: {
                name: '${{ parameters.name }}',
                region: 'fra1',
                garbageCollection: '${{ parameters.garbageCollection }}',
              },
            },
          ],
          output: {
            garbageCollection: '${{ steps.registry.output.garbageCollection }}',
            subscriptionTier: '${{ steps.registry.output.subscriptionTier }}',
            monthlyCostCents: '${{ steps.registry.output.monthlyCostCents }}',
          },
        },
      }),
    );
    portal = await startPortal({
      emulatorUrl: emulator.url,
      locations: [fixture],
    });
  }, STARTUP_TIMEOUT);

  afterAll(async () => {
    await portal?.stop();
    await emulator?.stop();
    if (fixtureDir) fs.rmSync(fixtureDir, { recursive: true, force: true });
  }, STARTUP_TIMEOUT);

  /** What each template needs on a Starter account, and what the account is on afterwards. */
  const EXPECTED: Record<string, { consent: boolean; tier: string }> = {
    'dev-registry.yaml': { consent: false, tier: 'starter' },
    'registry-with-doks.yaml': { consent: false, tier: 'starter' },
    'staging-registry.yaml': { consent: true, tier: 'basic' },
    'production-registries.yaml': { consent: true, tier: 'professional' },
  };

  /** "$20.00/month (professional)", the price from the emulator's options endpoint. */
  function price(slug: string): string {
    const tier = emulator.account.tiers.find(t => t.slug === slug)!;
    return `$${((tier.monthly_price_in_cents ?? 0) / 100).toFixed(2)}/month (${slug})`;
  }

  it.each(
    TEMPLATES.filter(t => EXPECTED[t.file].consent).map(t => [t.file, t.name]),
  )(
    '%s: without allowTierRaise, stops on a Starter account before anything changes, naming the input and the price',
    async (file, templateName) => {
      const run = runsFor('solo')[file];
      const expected = EXPECTED[file];
      emptyStarterAccount();
      const refused = await portal.runTask(templateName, run.values);
      expect(refused.status).toBe('failed');
      expect(refused.log).toContain(
        `allowTierRaise: registry ${Object.keys(run.registries)[0]} needs the ${expected.tier} tier`,
      );
      expect(refused.log).toContain(
        `Raising it would make the account pay ${price(expected.tier)} instead of ${price('starter')}; set allowTierRaise to true`,
      );
      expect(emulator.requests.mutating()).toEqual([]);
      expect(registriesIn(emulator)).toEqual({});
      expect(emulator.account.subscription?.tierSlug).toBe('starter');
    },
    TEST_TIMEOUT,
  );

  it.each(TEMPLATES.map(t => [t.file, t.name]))(
    '%s: completes on an empty Starter account, raising the tier only with consent',
    async (file, templateName) => {
      const run = runsFor('solo')[file];
      const expected = EXPECTED[file];
      emptyStarterAccount();
      const tierBefore = emulator.account.subscription?.tierSlug;
      expect(tierBefore).toBe('starter');
      const values = { ...run.values, allowTierRaise: expected.consent };

      emulator.requests.reset();
      const dry = await dryRun(portal, file, values);
      expect(dry.status).toBe(200);
      expect(dryRunLog(dry)).toContain(
        expected.consent
          ? `the account will pay ${price(expected.tier)} (was ${price('starter')})`
          : `the account stays on starter: ${price('starter')}`,
      );
      expect(emulator.requests.mutating()).toEqual([]);
      expect(registriesIn(emulator)).toEqual({});

      emulator.requests.reset();
      const task = await portal.runTask(templateName, values);
      expect(task.log).not.toContain('Error');
      expect(task.status).toBe('completed');
      expect(registriesIn(emulator)).toEqual(run.registries);
      const tierAfter = emulator.account.subscription?.tierSlug;
      expect(tierAfter).toBe(expected.tier);
      expect(tierRank(emulator, tierAfter)).toBeGreaterThanOrEqual(
        tierRank(emulator, tierBefore),
      );
      expect(emulator.requests.count('registries_update_subscription')).toBe(
        expected.consent ? 1 : 0,
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'a second registry on a Starter account needs Professional: refused without consent, raised with it',
    async () => {
      emptyStarterAccount();
      const dev = await portal.runTask(
        'docr-dev-registry',
        runsFor('two')['dev-registry.yaml'].values,
      );
      expect(dev.status).toBe('completed');
      expect(emulator.account.subscription?.tierSlug).toBe('starter');

      emulator.requests.reset();
      const k8s = runsFor('two')['registry-with-doks.yaml'];
      const refused = await portal.runTask(
        'docr-registry-with-doks',
        k8s.values,
      );
      expect(refused.status).toBe('failed');
      expect(refused.log).toContain(
        'allowTierRaise: registry two-k8s needs the professional tier (the account will have 2 registries (two-dev, two-k8s) and only professional allows more than one)',
      );
      expect(emulator.requests.mutating()).toEqual([]);
      expect(Object.keys(registriesIn(emulator))).toEqual(['two-dev']);

      const raised = await portal.runTask('docr-registry-with-doks', {
        ...k8s.values,
        allowTierRaise: true,
      });
      expect(raised.status).toBe('completed');
      expect(raised.log).toContain(
        "Raised the account's tier from starter to professional",
      );
      expect(emulator.account.subscription?.tierSlug).toBe('professional');
      expect(Object.keys(registriesIn(emulator)).sort()).toEqual([
        'two-dev',
        'two-k8s',
      ]);

      // A registry that needs less on the now-Professional account keeps Professional.
      emulator.requests.reset();
      const staging = await portal.runTask(
        'docr-staging-registry',
        runsFor('two')['staging-registry.yaml'].values,
      );
      expect(staging.status).toBe('completed');
      expect(staging.log).toContain(
        'the account stays on professional (the registry needs basic)',
      );
      expect(emulator.account.subscription?.tierSlug).toBe('professional');
      expect(emulator.requests.count('registries_update_subscription')).toBe(0);
    },
    TEST_TIMEOUT,
  );

  it(
    'no garbageCollection input stores nothing (the docr default applies); an explicit window-less policy is stored and logged as by hand only',
    async () => {
      emptyStarterAccount();
      const none = await portal.runTask('docr-test-gc-input', {
        name: 'gc-default',
      });
      expect(none.status).toBe('completed');
      expect(none.log).toContain(
        "No garbageCollection input: nothing stored, gc-default follows the docr backend's configured default policy (untagged manifests and unreferenced blobs; sun 03:00 for PT2H (UTC))",
      );
      const defaultPolicy = await portal.api.get(
        '/api/docr/registries/gc-default/policy',
      );
      expect(defaultPolicy.body).toMatchObject({
        source: 'default',
        policy: { windows: [{ days: ['sun'], start: '03:00' }] },
      });
      const output = none.events.find((e: any) => e.type === 'completion')?.body
        .output;
      expect(output).toMatchObject({
        subscriptionTier: 'starter',
        monthlyCostCents: 0,
        garbageCollection: { windows: [{ days: ['sun'], start: '03:00' }] },
      });

      emptyStarterAccount();
      const byHand = await portal.runTask('docr-test-gc-input', {
        name: 'gc-by-hand',
        garbageCollection: { enabled: true, windows: [] },
      });
      expect(byHand.status).toBe('completed');
      expect(byHand.log).toContain(
        'no windows: collected only by hand ("GC now"), never on a schedule',
      );
      const stored = await portal.api.get(
        '/api/docr/registries/gc-by-hand/policy',
      );
      expect(stored.body).toMatchObject({
        source: 'api',
        policy: { windows: [] },
      });
    },
    TEST_TIMEOUT,
  );
});
