import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { Portal, startPortal } from '../__testUtils__/portal';
import {
  STARTUP_TIMEOUT,
  TEST_TIMEOUT,
  STARTER_SEED,
  runsFor,
  TEMPLATES,
  tierRank,
  dryRunLog,
  dryRun,
  registriesIn,
} from '../__testUtils__/templateRuns';

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
