import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { DigitalOceanAccounts } from '@backstage-docr/plugin-docr-node';
import { dockerConfigAction } from '../actions/dockerConfig';
import { integrateDoksAction } from '../actions/integrateDoks';
import { DigitalOceanClients } from '../services/DigitalOceanClients';
import { Portal, startPortal } from '../__testUtils__/portal';

jest.setTimeout(120_000);

const TOKEN =
  'dop_v1_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b';
const TASK_TOKEN =
  'dop_v1_1111222233334444555566667777888899990000aaaabbbbccccddddeeeeffff';
const CLUSTERS = [
  { id: '6c9e1c4e-2b1d-4a3e-9f0a-0d7c2d1b9a01', name: 'staging-fra1' },
  { id: '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02', name: 'prod-ams3' },
];

/** An action context as the scaffolder builds one, writing into a real temporary workspace. */
function context(
  input: Record<string, unknown>,
  options: { isDryRun?: boolean; secrets?: Record<string, string> } = {},
) {
  const workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-action-'));
  const lines: string[] = [];
  const log = (level: string) => (message: string, meta?: unknown) =>
    lines.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
  const logger: any = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
  };
  logger.child = () => logger;
  const outputs: Record<string, unknown> = {};
  return {
    lines,
    outputs,
    workspacePath,
    ctx: {
      input,
      secrets: options.secrets,
      isDryRun: options.isDryRun ?? false,
      workspacePath,
      logger,
      output: (name: string, value: unknown) => {
        outputs[name] = value;
      },
      checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
      createTemporaryDirectory: async () =>
        fs.mkdtempSync(path.join(os.tmpdir(), 'docr-tmp-')),
      getInitiatorCredentials: async () => ({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: 'user:default/jane' },
      }),
      task: { id: 'task-1' },
    } as any,
  };
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe('digitalocean:registry:docker-config and :integrate-doks', () => {
  let emulator: DoEmulator;
  let clients: DigitalOceanClients;

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
    const config = new ConfigReader({
      digitalocean: { apiUrl: emulator.url, token: TOKEN },
    });
    const silent: any = {
      error() {},
      warn() {},
      info() {},
      debug() {},
      child: () => silent,
    };
    clients = new DigitalOceanClients(
      DigitalOceanAccounts.fromConfig(config),
      silent,
    );
  });

  afterAll(() => emulator?.stop());

  it('writes a read-only, expiring docker config with mode 600, and the API token nowhere', async () => {
    const { ctx, lines, outputs, workspacePath } = context({
      registryName: 'acme-prod',
      expirySeconds: 3600,
      path: 'ci/docker/config.json',
    });
    await dockerConfigAction({ clients }).handler(ctx);
    const file = path.join(workspacePath, 'ci/docker/config.json');
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(written.auths['registry.digitalocean.com'].auth).toEqual(
      expect.any(String),
    );
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(emulator.account.issuedCredentials.at(-1)).toMatchObject({
      registryName: 'acme-prod',
      readWrite: false,
      expirySeconds: 3600,
    });
    expect(outputs).toEqual({
      path: 'ci/docker/config.json',
      expiresAt: expect.any(String),
    });

    const credential = written.auths['registry.digitalocean.com'].auth;
    const everything = [
      ...lines,
      JSON.stringify(outputs),
      ...filesUnder(workspacePath).map(f => fs.readFileSync(f, 'utf8')),
    ].join('\n');
    expect(everything).not.toContain(TOKEN);
    expect([...lines, JSON.stringify(outputs)].join('\n')).not.toContain(
      credential,
    );
  });

  it('refuses to write outside the workspace, or for a registry that does not exist', async () => {
    await expect(
      dockerConfigAction({ clients }).handler(
        context({
          registryName: 'acme-prod',
          expirySeconds: 3600,
          path: '../escape.json',
        }).ctx,
      ),
    ).rejects.toThrow(/outside/);
    await expect(
      dockerConfigAction({ clients }).handler(
        context({ registryName: 'nope', expirySeconds: 3600 }).ctx,
      ),
    ).rejects.toThrow('registryName: no registry "nope" in the account');
  });

  it('integrates only the clusters that need it, and reports which changed', async () => {
    const { ctx, outputs } = context({
      registryName: 'acme-prod',
      clusters: ['prod-ams3', CLUSTERS[0].id],
    });
    emulator.requests.reset();
    await integrateDoksAction({ clients }).handler(ctx);
    expect(outputs).toEqual({
      changedClusters: ['staging-fra1'],
      unchangedClusters: ['prod-ams3'],
    });
    expect(emulator.account.getCluster(CLUSTERS[0].id).registries).toEqual([
      'acme-prod',
    ]);

    const again = context({
      registryName: 'acme-prod',
      clusters: ['prod-ams3', 'staging-fra1'],
    });
    emulator.requests.reset();
    await integrateDoksAction({ clients }).handler(again.ctx);
    expect(again.outputs).toEqual({
      changedClusters: [],
      unchangedClusters: ['prod-ams3', 'staging-fra1'],
    });
    expect(emulator.requests.mutating()).toEqual([]);

    const dry = context(
      { registryName: 'acme-prod', clusters: ['staging-fra1'], remove: true },
      { isDryRun: true },
    );
    await integrateDoksAction({ clients }).handler(dry.ctx);
    expect(dry.outputs.changedClusters).toEqual(['staging-fra1']);
    expect(emulator.requests.mutating()).toEqual([]);

    const remove = context({
      registryName: 'acme-prod',
      clusters: ['staging-fra1'],
      remove: true,
    });
    await integrateDoksAction({ clients }).handler(remove.ctx);
    expect(emulator.account.getCluster(CLUSTERS[0].id)).toMatchObject({
      registry_enabled: false,
      registries: [],
    });
    await expect(
      integrateDoksAction({ clients }).handler(
        context({ registryName: 'acme-prod', clusters: ['ghost'] }).ctx,
      ),
    ).rejects.toThrow(
      'doksClusters: no DOKS cluster "ghost" in the account (clusters: prod-ams3, staging-fra1)',
    );
  });
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
  });

  afterAll(async () => {
    await portal?.stop();
    await emulator?.stop();
  });

  it('is used for the task, and appears in no log line or output', async () => {
    await portal.waitFor(
      () =>
        portal.api.get(
          '/api/catalog/entities/by-name/template/default/docr-dev-registry',
        ),
      res => res.status === 200,
    );
    const created = await portal.api.post('/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/docr-dev-registry',
      values: { name: 'acme-secret', region: 'fra1', gcDay: 'sun' },
      secrets: { digitaloceanToken: TASK_TOKEN },
    });
    expect(created.status).toBe(201);
    const run = await portal.waitForTask(created.body.id);
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
  });
});
