import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { Portal, USERS, startPortal } from '../__testUtils__/portal';

const CLUSTER = {
  id: '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02',
  name: 'prod-ams3',
};
const TEAM_A_CLUSTER = {
  id: '7b1d2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  name: 'team-a-fra1',
};
const FIXTURES = path.resolve(__dirname, '../__fixtures__/test-templates.yaml');
const STARTUP_TIMEOUT = 120_000;
const TEST_TIMEOUT = 90_000;

function fixtureTemplate(name: string) {
  return (yaml.loadAll(fs.readFileSync(FIXTURES, 'utf8')) as any[]).find(
    t => t.metadata.name === name,
  );
}

/**
 * The actions act as the user who ran the template, with a real permission backend and the
 * shipped policy (owners of an entity act on it). Two teams, two DigitalOcean accounts: the
 * default account's entities (subscription, `platform-apps`, cluster prod-ams3) are owned by
 * group:default/platform (USERS.owner's team), the team-a account's (subscription on basic,
 * cluster team-a-fra1) by group:default/team-a (USERS.outsider's team).
 */
describe('templates act as the user who runs them', () => {
  let emulator: DoEmulator;
  let teamA: DoEmulator;
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
    teamA = await DoEmulator.start({
      validateResponses: true,
      seed: {
        account: { subscriptionTier: 'basic' },
        clusters: [{ ...TEAM_A_CLUSTER, region: 'fra1', registries: [] }],
      },
    });
    portal = await startPortal({
      emulatorUrl: emulator.url,
      accounts: [{ id: 'team-a', apiUrl: teamA.url }],
      owners: { 'team-a': 'group:default/team-a' },
      locations: [FIXTURES],
    });
    await portal.waitForRegistryEntity('platform-apps');
  }, STARTUP_TIMEOUT);

  afterAll(async () => {
    await portal?.stop();
    await emulator?.stop();
    await teamA?.stop();
  }, STARTUP_TIMEOUT);

  const values = {
    name: 'platform-apps',
    tier: 'professional',
    region: 'ams3',
    clusters: ['prod-ams3'],
  };
  const inTeamA = {
    account: 'team-a',
    region: 'fra1',
    tier: 'professional',
    allowTierRaise: true,
    clusters: ['team-a-fra1'],
  };
  const noChanges = () => {
    expect(emulator.requests.mutating()).toEqual([]);
    expect(teamA.requests.mutating()).toEqual([]);
  };
  const resetRequests = () => {
    emulator.requests.reset();
    teamA.requests.reset();
  };

  it(
    'refuses someone else’s existing registry and cluster before any change, naming the permissions',
    async () => {
      resetRequests();
      const run = await portal.runTask('docr-registry-with-doks', values, {
        user: USERS.outsider,
      });
      expect(run.status).toBe('failed');
      expect(run.log).toContain(
        'Not allowed: user:default/alice lacks the permission docr.policy.update on resource:default/docr-platform-apps needed to adopt the existing registry platform-apps',
      );
      expect(run.log).toContain(
        'Not allowed: user:default/alice lacks the permission docr.cluster.integrate on resource:default/doks-prod-ams3 needed to integrate DOKS cluster prod-ams3 with registry platform-apps',
      );
      noChanges();
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
      expect(integrate.log).toContain(
        'lacks the permission docr.cluster.integrate on resource:default/doks-prod-ams3',
      );
      noChanges();
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses creating a registry in another team’s account, raising its tier and integrating its cluster, in the dry run and the run',
    async () => {
      resetRequests();
      const template = fixtureTemplate('docr-test-create-team-registry');
      const dry = await portal
        .as(USERS.owner)
        .post('/api/scaffolder/v2/dry-run', {
          template,
          values: { ...inTeamA, name: 'olivia-apps' },
          directoryContents: [],
        });
      expect(dry.status).toBe(403);
      for (const refused of [
        'docr.registry.create on resource:team-a/do-registry-subscription-team-a needed to create registry olivia-apps',
        "docr.subscription.update on resource:team-a/do-registry-subscription-team-a needed to raise the account's tier from basic to professional",
        'docr.cluster.integrate on resource:team-a/doks-team-a-fra1 needed to integrate DOKS cluster team-a-fra1 with registry olivia-apps',
      ]) {
        expect(dry.body.error.message).toContain(refused);
      }

      const run = await portal.runTask(
        'docr-test-create-team-registry',
        { ...inTeamA, name: 'olivia-apps' },
        { user: USERS.owner },
      );
      expect(run.status).toBe('failed');
      expect(run.log).toContain(
        'Not allowed: user:default/olivia lacks the permission docr.registry.create on resource:team-a/do-registry-subscription-team-a',
      );
      expect(run.log).toContain('docr.subscription.update');
      noChanges();
      expect(teamA.account.subscription?.tierSlug).toBe('basic');

      // The other way round: team-a's member in the platform team's account.
      const alice = await portal.runTask(
        'docr-test-create-team-registry',
        {
          name: 'alice-in-default',
          account: 'default',
          region: 'ams3',
          tier: 'professional',
          allowTierRaise: false,
          clusters: ['prod-ams3'],
        },
        { user: USERS.outsider },
      );
      expect(alice.status).toBe('failed');
      expect(alice.log).toContain(
        'Not allowed: user:default/alice lacks the permission docr.registry.create on resource:default/do-registry-subscription-default needed to create registry alice-in-default',
      );
      noChanges();
    },
    TEST_TIMEOUT,
  );

  it(
    'lets an owner adopt a registry; the docr backend records the user, not the scaffolder',
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
      resetRequests();
      const again = await portal.runTask('docr-registry-with-doks', values, {
        user: USERS.owner,
      });
      expect(again.status).toBe('completed');
      expect(again.log).toContain(
        'The GC policy of platform-apps is already as asked',
      );
      noChanges();
    },
    TEST_TIMEOUT,
  );

  it(
    'lets a team create a registry in its own account (tier raised, cluster integrated), whose first policy is its creator’s alone',
    async () => {
      const run = await portal.runTask(
        'docr-test-create-team-registry',
        { ...inTeamA, name: 'alice-apps' },
        { user: USERS.outsider },
      );
      expect(run.log).not.toContain('Not allowed');
      expect(run.status).toBe('completed');
      expect(teamA.account.registries.has('alice-apps')).toBe(true);
      expect(teamA.account.subscription?.tierSlug).toBe('professional');
      expect(teamA.account.getCluster(TEAM_A_CLUSTER.id).registries).toEqual([
        'alice-apps',
      ]);
      const path_ = '/api/docr/accounts/team-a/registries/alice-apps/policy';
      const policy = await portal.api.get(path_);
      expect(policy.body).toMatchObject({
        source: 'api',
        updatedBy: USERS.outsider,
        policy: { enabled: false },
      });

      // The platform team cannot overwrite it (nor could it have stored the first one).
      const olivia = await portal.as(USERS.owner).put(path_, { enabled: true });
      expect(olivia.status).toBe(403);
      expect(olivia.body.error.message).toContain(
        'docr.policy.update on resource:team-a/docr-alice-apps',
      );
      expect((await portal.api.get(path_)).body.updatedBy).toBe(USERS.outsider);
    },
    TEST_TIMEOUT,
  );
});
