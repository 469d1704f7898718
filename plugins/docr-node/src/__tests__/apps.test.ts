import { DoEmulator, type SeedApp } from '@backstage-docr/do-emulator';
import { DigitalOceanClient } from '../DigitalOceanClient';
import { DigitalOceanApiError } from '../errors';

const TIMEOUT = 60_000;

function app(i: number): SeedApp {
  return {
    spec: {
      name: `app-${String(i).padStart(3, '0')}`,
      services: [
        {
          name: 'web',
          image: {
            registry_type: 'DOCR',
            registry: 'acme',
            repository: 'web',
            tag: 'latest',
            deploy_on_push: { enabled: true },
          },
        },
      ],
    },
  };
}

describe('DigitalOceanClient App Platform calls', () => {
  let emulator: DoEmulator;
  let client: DigitalOceanClient;

  beforeAll(async () => {
    emulator = await DoEmulator.start({
      validateResponses: true,
      seed: {
        registries: [
          {
            name: 'acme',
            images: [{ repository: 'web', tag: 'latest', sizeMiB: 1 }],
          },
        ],
        apps: Array.from({ length: 205 }, (_, i) => app(i)),
      },
    });
    client = new DigitalOceanClient({
      token: 't',
      apiUrl: emulator.url,
      maxRetries: 0,
    });
  }, TIMEOUT);

  afterAll(() => emulator.stop());

  it(
    'lists every app, following the pages 200 at a time',
    async () => {
      emulator.requests.reset();
      const apps = await client.listApps();
      expect(apps).toHaveLength(205);
      expect(apps[204].spec.name).toBe('app-204');
      expect(emulator.requests.count('apps_list')).toBe(2);
    },
    TIMEOUT,
  );

  it(
    "lists an app's deployments newest first, up to a limit, and gets one",
    async () => {
      const [first] = await client.listApps();
      emulator.push('acme', 'web', 'latest', [{ size: 1024 }]);
      const deployments = await client.listAppDeployments(first.id!);
      expect(deployments.map(d => d.phase)).toEqual(['ACTIVE', 'SUPERSEDED']);
      expect(deployments[0].cause).toBe('image acme/web:latest pushed to DOCR');
      expect(await client.listAppDeployments(first.id!, { limit: 1 })).toEqual([
        deployments[0],
      ]);
      expect(
        await client.getAppDeployment(first.id!, deployments[1].id!),
      ).toEqual(deployments[1]);
      expect((await client.getApp(first.id!)).active_deployment?.id).toBe(
        deployments[0].id,
      );
    },
    TIMEOUT,
  );

  it(
    'throws a 404 DigitalOceanApiError for an unknown app',
    async () => {
      const error = await client
        .getApp('00000000-0000-4000-8000-000000000000')
        .catch(e => e);
      expect(error).toBeInstanceOf(DigitalOceanApiError);
      expect(error.status).toBe(404);
    },
    TIMEOUT,
  );
});
