import path from 'node:path';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { Portal, USERS, startPortal } from '../__testUtils__/portal';

const CLUSTER = {
  id: '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02',
  name: 'prod-ams3',
};
const STARTUP_TIMEOUT = 120_000;
const TEST_TIMEOUT = 60_000;

/**
 * The actions act as the user who ran the template, with a real permission backend whose policy
 * lets only the owners of a registry's catalog entity change it (`isEntityOwner`). The registry
 * `platform-apps` exists in DigitalOcean; its entity is owned by group:default/platform.
 */
describe('templates act as the user who runs them', () => {
  let emulator: DoEmulator;
  let portal: Portal;

  beforeAll(async () => {
    emulator = await DoEmulator.start({
      validateResponses: true,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [{ name: 'platform-apps', region: 'ams3' }],
        clusters: [{ ...CLUSTER, region: 'ams3', registries: [] }],
      },
    });
    portal = await startPortal({
      emulatorUrl: emulator.url,
      locations: [
        path.resolve(__dirname, '../__fixtures__/test-templates.yaml'),
      ],
    });
    await portal.waitForRegistryEntity('platform-apps');
  }, STARTUP_TIMEOUT);

  afterAll(async () => {
    await portal?.stop();
    await emulator?.stop();
  }, STARTUP_TIMEOUT);

  const values = {
    name: 'platform-apps',
    tier: 'professional',
    region: 'ams3',
    clusters: ['prod-ams3'],
  };

  it(
    'refuses someone else’s existing registry before any change, naming the permission',
    async () => {
      emulator.requests.reset();
      const run = await portal.runTask('docr-registry-with-doks', values, {
        user: USERS.outsider,
      });
      expect(run.status).toBe('failed');
      expect(run.log).toContain(
        'Not allowed: user:default/alice lacks the permission docr.policy.update on resource:default/docr-platform-apps needed to adopt the existing registry platform-apps',
      );
      expect(emulator.requests.mutating()).toEqual([]);
      expect(emulator.account.getCluster(CLUSTER.id).registries).toEqual([]);
      const policy = await portal.api.get(
        '/api/docr/registries/platform-apps/policy',
      );
      expect(policy.body.source).not.toBe('api');

      // integrate-doks on its own is refused the same way.
      const integrate = await portal.runTask(
        'docr-test-integrate-doks',
        { registryName: 'platform-apps', clusters: ['prod-ams3'] },
        { user: USERS.outsider },
      );
      expect(integrate.status).toBe('failed');
      expect(integrate.log).toContain(
        'lacks the permission docr.policy.update on resource:default/docr-platform-apps',
      );
      expect(emulator.requests.mutating()).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'lets an owner adopt it; the docr backend records the user, not the scaffolder',
    async () => {
      const run = await portal.runTask('docr-registry-with-doks', values, {
        user: USERS.owner,
      });
      expect(run.status).toBe('completed');
      expect(emulator.account.getCluster(CLUSTER.id).registries).toEqual([
        'platform-apps',
      ]);
      const policy = await portal.api.get(
        '/api/docr/registries/platform-apps/policy',
      );
      expect(policy.body).toMatchObject({
        source: 'api',
        updatedBy: USERS.owner,
      });

      // Run again: the policy is as asked, so nothing is written, not even the policy.
      emulator.requests.reset();
      const again = await portal.runTask('docr-registry-with-doks', values, {
        user: USERS.owner,
      });
      expect(again.status).toBe('completed');
      expect(again.log).toContain(
        'The GC policy of platform-apps is already as asked',
      );
      expect(emulator.requests.mutating()).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'creates a new registry as the user, who then owns its first policy',
    async () => {
      const run = await portal.runTask(
        'docr-registry-with-doks',
        { ...values, name: 'alice-apps' },
        { user: USERS.outsider },
      );
      expect(run.log).not.toContain('Not allowed');
      expect(run.status).toBe('completed');
      expect(emulator.account.registries.has('alice-apps')).toBe(true);
      const policy = await portal.api.get(
        '/api/docr/registries/alice-apps/policy',
      );
      expect(policy.body).toMatchObject({
        source: 'api',
        updatedBy: USERS.outsider,
      });
    },
    TEST_TIMEOUT,
  );
});
