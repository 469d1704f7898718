import path from 'node:path';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { subscriptionEntityRef } from '@backstage-docr/plugin-docr-common';
import { Portal, USERS, startPortal } from '../__testUtils__/portal';

const FIXTURES = path.resolve(__dirname, '../__fixtures__/test-templates.yaml');
const STARTUP_TIMEOUT = 120_000;
const TEST_TIMEOUT = 120_000;

const TEAM_A = USERS.outsider; // group:default/team-a, owns the default account's entities
const TEAM_B = USERS.teamB; // group:default/team-b, owns the team-b account's entities
const REGISTRY = 'team-a-apps';
const REPOSITORY = 'web';

/** Every GET route of the docr API, from the spec the backend serves, with team A's values. */
async function getRoutes(portal: Portal): Promise<string[]> {
  const spec = await portal.api.get('/api/docr/openapi.json');
  expect(spec.status).toBe(200);
  return Object.entries(spec.body.paths as Record<string, object>)
    .filter(([, operations]) => 'get' in operations)
    .map(([route]) =>
      route
        .replace('{account}', 'default')
        .replace('{name}', REGISTRY)
        .replace('{repository}', REPOSITORY),
    );
}

/**
 * Team A's answer, once the backend has listed what a cold cache asks for in the background and
 * read the listed tags' images (`imagesPending`), so the next answer is the same one.
 */
async function ownersAnswer(portal: Portal, url: string) {
  return portal.waitFor(
    () => portal.as(TEAM_A).get(url),
    res => res.status !== 503 && res.body?.imagesPending !== true,
    90_000,
  );
}

/** Two teams, each owning one DigitalOcean account's entities (the default account is team A's). */
async function startTwoTeams(config?: object) {
  const teamA = await DoEmulator.start({
    seed: {
      account: { subscriptionTier: 'professional' },
      registries: [
        {
          name: REGISTRY,
          region: 'fra1',
          images: [{ repository: REPOSITORY, tag: 'latest', sizeMiB: 5 }],
        },
      ],
    },
  });
  const teamB = await DoEmulator.start({
    seed: {
      account: { subscriptionTier: 'basic' },
      registries: [{ name: 'team-b-apps', region: 'fra1' }],
    },
  });
  const portal = await startPortal({
    emulatorUrl: teamA.url,
    accounts: [{ id: 'team-b', apiUrl: teamB.url }],
    owners: {
      default: 'group:default/team-a',
      'team-b': 'group:default/team-b',
    },
    locations: [FIXTURES],
    config,
  });
  await portal.waitForRegistryEntity(REGISTRY);
  await portal.waitForRegistryEntity('team-b-apps', 'team-b');
  // The first page asks the GC task to list each account; the registries are known once listed.
  for (const [who, url] of [
    [TEAM_A, `/api/docr/registries/${REGISTRY}`],
    [TEAM_B, '/api/docr/accounts/team-b/registries/team-b-apps'],
  ]) {
    await portal.waitFor(
      () => portal.as(who).get(url),
      res => res.status === 200,
      90_000,
    );
  }
  // A run and a stored policy, so team A's registry has something of each to read.
  const run = await portal
    .as(TEAM_A)
    .post(`/api/docr/registries/${REGISTRY}/gc-runs`, {});
  expect(run.status).toBe(201);
  const policy = await portal
    .as(TEAM_A)
    .put(`/api/docr/registries/${REGISTRY}/policy`, { enabled: false });
  expect(policy.status).toBe(200);
  return {
    portal,
    stop: async () => {
      await portal.stop();
      await teamA.stop();
      await teamB.stop();
    },
  };
}

describe('the owners read model (docr.permissions.readModel: owners)', () => {
  let portal: Portal;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ portal, stop } = await startTwoTeams({
      docr: { permissions: { readModel: 'owners' } },
    }));
  }, STARTUP_TIMEOUT);

  afterAll(() => stop?.(), STARTUP_TIMEOUT);

  it(
    'lets team B read nothing of team A’s registry on any GET route of the spec, while team A reads all of it',
    async () => {
      const routes = await getRoutes(portal);
      expect(routes.length).toBeGreaterThanOrEqual(17);
      const answers = [];
      for (const url of routes) {
        const owners = await ownersAnswer(portal, url);
        const other = await portal.as(TEAM_B).get(url);
        answers.push({ url, owners, other });
      }
      /** The account's savings: its storage and tier, for who may read the account only. */
      const isAccountWide = (url: string) =>
        !url.includes(`/${REGISTRY}`) && url.endsWith('/savings');
      const isList = (url: string) =>
        !url.includes(`/${REGISTRY}`) && !isAccountWide(url);
      /** What a list names of team A: its registry, or its account. */
      const namesTeamA = (url: string, body: unknown) =>
        JSON.stringify(body).includes(
          url.endsWith('/accounts') ? '"id":"default"' : REGISTRY,
        );
      // Team A reads every route, and its lists name its registry (or account).
      expect(
        answers.filter(
          a =>
            a.owners.status !== 200 ||
            (isList(a.url) && !namesTeamA(a.url, a.owners.body)),
        ),
      ).toEqual([]);
      // Team B, reading nothing of team A's account, is refused its savings (storage, tier).
      const accountWide = answers.filter(a => isAccountWide(a.url));
      expect(accountWide).toHaveLength(2);
      expect(
        accountWide.map(a => [
          a.url,
          a.other.status,
          a.other.body.error?.message,
        ]),
      ).toEqual(
        accountWide.map(a => [
          a.url,
          403,
          `Not allowed: docr.registry.read on ${subscriptionEntityRef('default')}`,
        ]),
      );
      // Team B: every route of the registry is refused, naming the permission ...
      expect(
        answers
          .filter(a => !isList(a.url) && !isAccountWide(a.url))
          .map(a => [a.url, a.other.status, a.other.body.error?.message]),
      ).toEqual(
        answers
          .filter(a => !isList(a.url) && !isAccountWide(a.url))
          .map(a => [
            a.url,
            403,
            `Not allowed: docr.registry.read on resource:default/docr-${REGISTRY}`,
          ]),
      );
      // ... and every list answers without team A's registry or account.
      expect(
        answers
          .filter(a => isList(a.url))
          .map(a => [a.url, a.other.status, namesTeamA(a.url, a.other.body)]),
      ).toEqual(
        answers.filter(a => isList(a.url)).map(a => [a.url, 200, false]),
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'lists each team its own account only, and team A’s registries to team A only',
    async () => {
      const accounts = (who: string) =>
        portal
          .as(who)
          .get('/api/docr/accounts')
          .then(res => res.body.items.map((a: { id: string }) => a.id));
      expect(await accounts(TEAM_A)).toEqual(['default']);
      expect(await accounts(TEAM_B)).toEqual(['team-b']);
      expect(await accounts(USERS.owner)).toEqual([]);
      const names = (who: string, account: string) =>
        portal
          .as(who)
          .get(`/api/docr/accounts/${account}/registries`)
          .then(res => res.body.items.map((r: { name: string }) => r.name));
      expect(await names(TEAM_A, 'default')).toEqual([REGISTRY]);
      expect(await names(TEAM_B, 'default')).toEqual([]);
      expect(await names(TEAM_B, 'team-b')).toEqual(['team-b-apps']);
    },
    TEST_TIMEOUT,
  );

  it(
    'gives team B no pull credentials for team A’s registry',
    async () => {
      const run = await portal.runTask(
        'docr-test-docker-config',
        { registryName: REGISTRY, mode: 'pull' },
        { user: TEAM_B },
      );
      expect(run.status).toBe('failed');
      expect(run.log).toContain('docr.registry.read');
      expect(run.log).toContain(`resource:default/docr-${REGISTRY}`);
    },
    TEST_TIMEOUT,
  );
});

describe('the default read model (everyone signed in reads)', () => {
  let portal: Portal;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ portal, stop } = await startTwoTeams());
  }, STARTUP_TIMEOUT);

  afterAll(() => stop?.(), STARTUP_TIMEOUT);

  it(
    'answers team B on every GET route of the spec as it answers team A, and lists every account',
    async () => {
      const answers = [];
      for (const url of await getRoutes(portal)) {
        const owners = await ownersAnswer(portal, url);
        const other = await portal.as(TEAM_B).get(url);
        answers.push({ url, owners, other });
      }
      // The same answer everywhere.
      expect(answers.map(a => [a.url, a.other.status, a.other.body])).toEqual(
        answers.map(a => [a.url, a.owners.status, a.owners.body]),
      );
      const accounts = await portal.as(TEAM_B).get('/api/docr/accounts');
      expect(accounts.body.items.map((a: { id: string }) => a.id)).toEqual([
        'default',
        'team-b',
      ]);
    },
    TEST_TIMEOUT,
  );

  it(
    'gives team B pull credentials for team A’s registry, and no push credentials',
    async () => {
      const pull = await portal.runTask(
        'docr-test-docker-config',
        { registryName: REGISTRY, mode: 'pull' },
        { user: TEAM_B },
      );
      expect(pull.status).toBe('completed');
      const push = await portal.runTask(
        'docr-test-docker-config',
        { registryName: REGISTRY, mode: 'push' },
        { user: TEAM_B },
      );
      expect(push.status).toBe('failed');
      expect(push.log).toContain('docr.registry.push');
    },
    TEST_TIMEOUT,
  );
});
