import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { DoEmulator } from '@backstage-docr/do-emulator';
import catalogModule from '..';
import {
  byName,
  catalogConfig,
  eventually,
  names,
  resources,
} from '../__testUtils__/harness';

function start(data: object, extra: any[] = []) {
  return startTestBackend({
    features: [
      catalogPlugin,
      catalogModule,
      mockServices.rootConfig.factory({ data }),
      ...extra,
    ],
  });
}

describe('start-up configuration errors name the config key', () => {
  const env = { ...process.env };
  beforeEach(() => {
    delete process.env.DIGITALOCEAN_TOKEN;
    delete process.env.DIGITALOCEAN_ACCESS_TOKEN;
  });
  afterAll(() => {
    process.env = env;
  });

  const provider = (extra: object) => ({
    digitalocean: { token: 'x' },
    catalog: {
      providers: {
        digitalocean: { main: { owner: 'group:default/platform', ...extra } },
      },
    },
  });

  it('fails without a token for the real API', async () => {
    await expect(
      start({
        catalog: {
          providers: {
            digitalocean: { main: { owner: 'group:default/platform' } },
          },
        },
      }),
    ).rejects.toThrow(
      'No DigitalOcean API token for account "default": set digitalocean.token',
    );
  });

  it('fails on a bad schedule', async () => {
    await expect(
      start(provider({ schedule: { frequency: 'often' } })),
    ).rejects.toThrow(
      'catalog.providers.digitalocean.main.schedule is not a valid schedule',
    );
  });

  it('fails on an unknown key', async () => {
    await expect(start(provider({ ownr: 'group:x' }))).rejects.toThrow(
      'catalog.providers.digitalocean.main.ownr is not a known option; use account, owner, system, lifecycle, schedule',
    );
  });

  it('fails without an owner, or with an unknown account', async () => {
    await expect(
      start({
        digitalocean: { token: 'x' },
        catalog: { providers: { digitalocean: { main: {} } } },
      }),
    ).rejects.toThrow('catalog.providers.digitalocean.main.owner is required');
    await expect(start(provider({ account: 'team-b' }))).rejects.toThrow(
      'catalog.providers.digitalocean.main.account "team-b" is not an account under digitalocean.accounts',
    );
  });
});

describe('with the real scheduler', () => {
  let emulator: DoEmulator;
  afterEach(() => emulator?.stop());

  it('records a failed refresh in the task status and keeps the entities', async () => {
    emulator = await DoEmulator.start({
      seed: {
        account: { subscriptionTier: 'basic' },
        registries: [{ name: 'acme' }],
      },
    });
    const backend = await start(
      catalogConfig(emulator.url, {
        schedule: { frequency: { seconds: 1 }, timeout: { seconds: 30 } },
      }),
      [schedulerServiceFactory],
    );
    try {
      await eventually(
        () => resources(backend),
        e =>
          expect(names(e)).toEqual([
            'do-registry-subscription-default',
            'docr-acme',
          ]),
      );
      const tasks = async () => {
        const res = await request(backend.server)
          .get('/api/catalog/.backstage/scheduler/v1/tasks')
          .set('authorization', mockCredentials.service.header());
        return byTask(res.body.tasks, 'digitalocean-provider:default:refresh');
      };
      emulator.faults.add({ kind: 'error', status: 500, count: 100_000 });
      const failed = await eventually(
        tasks,
        task => expect(task?.taskState?.lastRunError).toBeDefined(),
        20_000,
      );
      expect(failed.taskState.lastRunError).toContain(
        'failed with 500 server_error',
      );
      expect(names(await resources(backend))).toEqual([
        'do-registry-subscription-default',
        'docr-acme',
      ]);
      emulator.faults.clear();
      await eventually(
        tasks,
        task => expect(task?.taskState?.lastRunError).toBeUndefined(),
        20_000,
      );
      expect(byName(await resources(backend), 'docr-acme')).toBeDefined();
    } finally {
      await backend.stop();
    }
  }, 60_000);
});

function byTask(tasks: any[], id: string) {
  return tasks?.find(t => t.taskId === id);
}
