import fs from 'node:fs';
import path from 'node:path';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { Portal, USERS, startPortal } from '../__testUtils__/portal';

const STARTUP_TIMEOUT = 120_000;
const TEST_TIMEOUT = 60_000;

const TOKEN =
  'dop_v1_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b';
const TASK_TOKEN =
  'dop_v1_1111222233334444555566667777888899990000aaaabbbbccccddddeeeeffff';
const CLUSTERS = [
  { id: '6c9e1c4e-2b1d-4a3e-9f0a-0d7c2d1b9a01', name: 'staging-fra1' },
  { id: '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02', name: 'prod-ams3' },
];
const TEST_TEMPLATES = path.resolve(
  __dirname,
  '../__fixtures__/test-templates.yaml',
);

/** The task's output, from its completion event. */
function taskOutput(run: { events: any[] }): Record<string, any> {
  return run.events.find(e => e.type === 'completion')?.body.output ?? {};
}

describe('digitalocean:registry:docker-config and :integrate-doks', () => {
  let emulator: DoEmulator;
  let portal: Portal;

  beforeAll(async () => {
    emulator = await DoEmulator.start({
      token: TOKEN,
      validateResponses: true,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [{ name: 'acme-prod' }],
        clusters: CLUSTERS.map(c => ({
          ...c,
          registries: c.name === 'prod-ams3' ? ['acme-prod'] : [],
        })),
      },
    });
    portal = await startPortal({
      emulatorUrl: emulator.url,
      token: TOKEN,
      locations: [TEST_TEMPLATES],
      scaffolderConfig: {
        digitalocean: { dockerConfig: { maxExpiry: { hours: 12 } } },
      },
    });
    // acme-prod's entity, owned by group:default/platform (USERS.owner's group).
    await portal.waitForRegistryEntity('acme-prod');
  }, STARTUP_TIMEOUT);

  afterAll(async () => {
    await portal?.stop();
    await emulator?.stop();
  }, STARTUP_TIMEOUT);

  it(
    'writes read-only credentials for an hour outside the workspace, so no publish step sees them, and nowhere in logs or outputs',
    async () => {
      const issued = emulator.account.issuedCredentials.length;
      const before = Date.now();
      const run = await portal.runTask(
        'docr-test-docker-config',
        { registryName: 'acme-prod', mode: 'pull' },
        { user: USERS.outsider },
      );
      expect(run.status).toBe('completed');
      expect(emulator.account.issuedCredentials).toHaveLength(issued + 1);
      expect(emulator.account.issuedCredentials.at(-1)).toMatchObject({
        registryName: 'acme-prod',
        readWrite: false,
        expirySeconds: 3600,
      });
      const output = taskOutput(run);
      const expiresAt = Date.parse(output.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(before + 3600_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);

      // Outside the task's workspace (<workingDirectory>/<task id>), which is all publish reads.
      const file: string = output.path;
      expect(path.dirname(file)).toBe(output.dockerConfigDir);
      const workspace = path.join(path.dirname(output.dockerConfigDir), run.id);
      expect(path.relative(workspace, file).startsWith('..')).toBe(true);
      expect(fs.statSync(output.dockerConfigDir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const written = JSON.parse(fs.readFileSync(file, 'utf8'));
      const credential = written.auths['registry.digitalocean.com'].auth;
      expect(credential).toEqual(expect.any(String));

      // The debug:log step listed the whole workspace with contents: no credential in it.
      expect(run.log).toContain('Workspace');
      const everything = JSON.stringify([run.task, run.events]);
      expect(everything).not.toContain(credential);
      expect(everything).not.toContain(TOKEN);
      fs.rmSync(output.dockerConfigDir, { recursive: true, force: true });
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses a path in the workspace, where a publish step would commit it',
    async () => {
      const issued = emulator.account.issuedCredentials.length;
      const run = await portal.runTask('docr-test-docker-config', {
        registryName: 'acme-prod',
        mode: 'path',
      });
      expect(run.status).toBe('failed');
      expect(run.log).toContain(
        'path: docker-config no longer writes into the workspace, where a publish step would commit the credential',
      );
      expect(emulator.account.issuedCredentials).toHaveLength(issued);
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses an expiry beyond the configured maximum, naming the field and the maximum',
    async () => {
      const issued = emulator.account.issuedCredentials.length;
      const run = await portal.runTask('docr-test-docker-config', {
        registryName: 'acme-prod',
        mode: 'long',
      });
      expect(run.status).toBe('failed');
      expect(run.log).toContain(
        'expirySeconds: 2592000 is longer than the maximum of 43200 seconds (scaffolder.digitalocean.dockerConfig.maxExpiry)',
      );
      expect(emulator.account.issuedCredentials).toHaveLength(issued);
    },
    TEST_TIMEOUT,
  );

  it(
    'gives push credentials only to a user allowed docr.registry.push on the registry',
    async () => {
      const issued = emulator.account.issuedCredentials.length;
      const refused = await portal.runTask(
        'docr-test-docker-config',
        { registryName: 'acme-prod', mode: 'push' },
        { user: USERS.outsider },
      );
      expect(refused.status).toBe('failed');
      expect(refused.log).toContain(
        'Not allowed: user:default/alice lacks the permission docr.registry.push on resource:default/docr-acme-prod',
      );
      expect(emulator.account.issuedCredentials).toHaveLength(issued);

      const allowed = await portal.runTask(
        'docr-test-docker-config',
        { registryName: 'acme-prod', mode: 'push' },
        { user: USERS.owner },
      );
      expect(allowed.status).toBe('completed');
      expect(emulator.account.issuedCredentials.at(-1)).toMatchObject({
        registryName: 'acme-prod',
        readWrite: true,
        expirySeconds: 900,
      });
      fs.rmSync(taskOutput(allowed).dockerConfigDir, {
        recursive: true,
        force: true,
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'integrates only the clusters that need it, as an owner; refuses anyone else',
    async () => {
      emulator.requests.reset();
      const refused = await portal.runTask(
        'docr-test-integrate-doks',
        { registryName: 'acme-prod', clusters: ['staging-fra1'] },
        { user: USERS.outsider },
      );
      expect(refused.status).toBe('failed');
      expect(refused.log).toContain(
        'lacks the permission docr.policy.update on resource:default/docr-acme-prod',
      );
      expect(emulator.requests.mutating()).toEqual([]);

      const first = await portal.runTask(
        'docr-test-integrate-doks',
        { registryName: 'acme-prod', clusters: ['prod-ams3', CLUSTERS[0].id] },
        { user: USERS.owner },
      );
      expect(first.status).toBe('completed');
      expect(taskOutput(first)).toEqual({
        changedClusters: ['staging-fra1'],
        unchangedClusters: ['prod-ams3'],
      });
      expect(emulator.account.getCluster(CLUSTERS[0].id).registries).toEqual([
        'acme-prod',
      ]);

      emulator.requests.reset();
      const again = await portal.runTask(
        'docr-test-integrate-doks',
        { registryName: 'acme-prod', clusters: ['prod-ams3', 'staging-fra1'] },
        { user: USERS.owner },
      );
      expect(taskOutput(again)).toEqual({
        changedClusters: [],
        unchangedClusters: ['prod-ams3', 'staging-fra1'],
      });
      expect(emulator.requests.mutating()).toEqual([]);

      const removed = await portal.runTask(
        'docr-test-integrate-doks',
        { registryName: 'acme-prod', clusters: ['staging-fra1'], remove: true },
        { user: USERS.owner },
      );
      expect(removed.status).toBe('completed');
      expect(emulator.account.getCluster(CLUSTERS[0].id)).toMatchObject({
        registry_enabled: false,
        registries: [],
      });

      const ghost = await portal.runTask(
        'docr-test-integrate-doks',
        { registryName: 'acme-prod', clusters: ['ghost'] },
        { user: USERS.owner },
      );
      expect(ghost.log).toContain(
        'doksClusters: no DOKS cluster "ghost" in the account (clusters: prod-ams3, staging-fra1)',
      );
    },
    TEST_TIMEOUT,
  );
});

describe('a DigitalOcean token from the task’s secrets', () => {
  let emulator: DoEmulator;
  let portal: Portal;

  beforeAll(async () => {
    // The platform's token is in config; the task brings another one in its secrets.
    emulator = await DoEmulator.start({
      token: [TOKEN, TASK_TOKEN],
      validateResponses: true,
      seed: { account: {} },
    });
    portal = await startPortal({ emulatorUrl: emulator.url, token: TOKEN });
  }, STARTUP_TIMEOUT);

  afterAll(async () => {
    await portal?.stop();
    await emulator?.stop();
  }, STARTUP_TIMEOUT);

  it(
    'is used for the task, and appears in no log line or output',
    async () => {
      const run = await portal.runTask(
        'docr-dev-registry',
        { name: 'acme-secret', region: 'fra1', gcDay: 'sun' },
        { secrets: { digitaloceanToken: TASK_TOKEN } },
      );
      expect(run.status).toBe('completed');
      expect(emulator.account.registries.has('acme-secret')).toBe(true);
      const create = emulator.requests
        .all()
        .find(r => r.operationId === 'registries_create');
      expect(create?.tokenIndex).toBe(1); // the task's token, not the platform's
      const everything = JSON.stringify([run.task, run.events]);
      expect(everything).toContain('acme-secret');
      expect(everything).not.toContain(TASK_TOKEN);
      expect(everything).not.toContain(TOKEN);
    },
    TEST_TIMEOUT,
  );
});
