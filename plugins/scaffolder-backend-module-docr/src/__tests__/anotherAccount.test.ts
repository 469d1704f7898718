import path from 'node:path';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { Portal, startPortal } from '../__testUtils__/portal';

const STARTUP_TIMEOUT = 120_000;
const TEST_TIMEOUT = 90_000;

/**
 * A portal with two DigitalOcean accounts (default and team-b, each its own emulator): a
 * template that names team-b creates the registry there, the docr backend stores its policy as
 * team-b's, and the catalog shows it in team-b's namespace.
 */
describe('creating a registry in another configured account', () => {
  let main: DoEmulator;
  let teamB: DoEmulator;
  let portal: Portal;

  beforeAll(async () => {
    main = await DoEmulator.start({
      seed: { account: { subscriptionTier: 'professional' } },
    });
    teamB = await DoEmulator.start({
      validateResponses: true,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [{ name: 'team-b-apps', region: 'fra1' }],
      },
    });
    portal = await startPortal({
      emulatorUrl: main.url,
      accounts: [{ id: 'team-b', apiUrl: teamB.url }],
      locations: [
        path.resolve(__dirname, '../__fixtures__/test-templates.yaml'),
      ],
    });
    await portal.waitForRegistryEntity('team-b-apps', 'team-b');
  }, STARTUP_TIMEOUT);

  afterAll(async () => {
    await portal?.stop();
    await main?.stop();
    await teamB?.stop();
  }, STARTUP_TIMEOUT);

  it(
    "makes the registry in team-b, stores its policy as team-b's and shows it in team-b's namespace",
    async () => {
      const run = await portal.runTask('docr-test-create-in-account', {
        name: 'team-b-web',
        account: 'team-b',
        region: 'fra1',
      });
      expect(run.log).not.toContain('Error');
      expect(run.status).toBe('completed');
      expect(run.task.output?.entityRef ?? run.events).toBeDefined();
      expect(teamB.account.registries.has('team-b-web')).toBe(true);
      expect(main.account.registries.has('team-b-web')).toBe(false);
      expect(run.log).toContain('Stored the GC policy of team-b-web');

      const policy = await portal.api.get(
        '/api/docr/accounts/team-b/registries/team-b-web/policy',
      );
      expect(policy.status).toBe(200);
      expect(policy.body.source).toBe('api');
      expect(policy.body.policy.windows[0].days).toEqual(['sat']);
      const inDefault = await portal.api.get(
        '/api/docr/registries/team-b-web/policy',
      );
      expect(inDefault.body.source).not.toBe('api');

      const entity = await portal.waitForRegistryEntity('team-b-web', 'team-b');
      expect(entity.body.metadata.annotations['digitalocean.com/account']).toBe(
        'team-b',
      );
    },
    TEST_TIMEOUT,
  );
});
