import type {
  AppImageSourceSpec,
  AppSpec,
} from '@backstage-docr/digitalocean-openapi';
import { EmulatedAccount } from '../model/account';
import { demoSeedPath } from '../demoSeed';
import { registryPusher } from '../registryPusher';
import { EmulatorSeed, applySeed, loadSeedFile } from '../seed';
import { emulatorHarness } from './http';

const TIMEOUT = 60_000;
const APP_ID = '5a1f0c3e-7d2b-4e8a-9c61-3b0d2e4f5a01';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const seed: EmulatorSeed = {
  account: { subscriptionTier: 'professional' },
  registries: [
    {
      name: 'acme',
      region: 'ams3',
      images: [
        { repository: 'web', tag: 'latest', sizeMiB: 1, pushes: 3 },
        { repository: 'web', tag: 'v1', sizeMiB: 1 },
      ],
    },
    { name: 'other', region: 'fra1' },
  ],
  apps: [
    {
      id: APP_ID,
      deployedAt: '2026-11-30T10:00:00Z',
      spec: {
        name: 'shop',
        region: 'ams',
        services: [
          {
            name: 'web',
            image: {
              registry_type: 'DOCR',
              repository: 'web',
              tag: 'latest',
              deploy_on_push: { enabled: true },
            },
          },
        ],
      },
      previousDeployments: [
        { images: { web: { pin: { tag: 'latest', pushesAgo: 2 } } } },
        { images: { web: { tag: 'v1' } } },
      ],
    },
    {
      spec: {
        name: 'pinned',
        region: 'fra',
        workers: [
          {
            name: 'worker',
            image: {
              registry_type: 'DOCR',
              registry: 'acme',
              repository: 'web',
              pin: { tag: 'latest', pushesAgo: 1 },
            },
          },
        ],
      },
    },
    {
      spec: {
        name: 'hub',
        services: [
          {
            name: 'nginx',
            image: {
              registry_type: 'DOCKER_HUB',
              registry: 'library',
              repository: 'nginx',
              tag: '1.27',
            },
          },
        ],
      },
    },
  ],
};

describe('emulator App Platform API', () => {
  const h = emulatorHarness();
  beforeEach(() => h.start({ seed }), TIMEOUT);

  it(
    'lists apps by name, a page at a time, with their region and active deployment',
    async () => {
      const first = await h.call('GET', '/v2/apps?per_page=2');
      expect(first.status).toBe(200);
      expect(first.body.apps.map((a: any) => a.spec.name)).toEqual([
        'hub',
        'pinned',
      ]);
      expect(first.body.meta.total).toBe(3);
      const next = new URL(first.body.links.pages.next);
      const second = await h.call('GET', `${next.pathname}${next.search}`);
      expect(second.body.apps.map((a: any) => a.spec.name)).toEqual(['shop']);
      expect(second.body.apps[0]).toMatchObject({
        id: APP_ID,
        region: { slug: 'ams', data_centers: ['ams3'] },
        active_deployment: { phase: 'ACTIVE' },
        last_deployment_created_at: '2026-11-30T10:00:00.000Z',
      });
      expect(second.body.apps[0].live_url).toMatch(
        /^https:\/\/shop-[0-9a-f]{5}\.ondigitalocean\.app$/,
      );
    },
    TIMEOUT,
  );

  it(
    'gets an app by id or by name, and answers 404 for an unknown one',
    async () => {
      const byId = await h.call('GET', `/v2/apps/${APP_ID}`);
      expect(byId.body.app.spec.name).toBe('shop');
      const byName = await h.call('GET', `/v2/apps/${UNKNOWN}?name=shop`);
      expect(byName.body.app.id).toBe(APP_ID);
      const missing = await h.call('GET', `/v2/apps/${UNKNOWN}`);
      expect(missing.status).toBe(404);
      expect(missing.body.id).toBe('not_found');
    },
    TIMEOUT,
  );

  it(
    'lists deployments newest first, the active one and the superseded ones with the images they ran',
    async () => {
      const list = await h.call('GET', `/v2/apps/${APP_ID}/deployments`);
      const deployments = list.body.deployments;
      expect(deployments.map((d: any) => d.phase)).toEqual([
        'ACTIVE',
        'SUPERSEDED',
        'SUPERSEDED',
      ]);
      expect(deployments.map((d: any) => d.created_at)).toEqual([
        '2026-11-30T10:00:00.000Z',
        '2026-11-29T10:00:00.000Z',
        '2026-11-28T10:00:00.000Z',
      ]);
      const images = deployments.map((d: any) => d.spec.services[0].image);
      expect(images[0]).toMatchObject({ tag: 'latest' });
      expect(images[1]).toMatchObject({ tag: 'v1' });
      expect(images[2].tag).toBeUndefined();
      expect(images[2].digest).toMatch(/^sha256:/);
      // The pinned digest is the first push of latest, untagged since and still stored.
      const manifests = await h.call(
        'GET',
        '/v2/registries/acme/repositories/web/digests',
      );
      const stored = manifests.body.manifests.find(
        (m: any) => m.digest === images[2].digest,
      );
      expect(stored.tags).toEqual([]);

      const one = await h.call(
        'GET',
        `/v2/apps/${APP_ID}/deployments/${deployments[1].id}`,
      );
      expect(one.body.deployment).toEqual(deployments[1]);
      expect(
        (await h.call('GET', `/v2/apps/${APP_ID}/deployments/${UNKNOWN}`))
          .status,
      ).toBe(404);
      expect(
        (await h.call('GET', `/v2/apps/${UNKNOWN}/deployments`)).status,
      ).toBe(404);
    },
    TIMEOUT,
  );

  it(
    'deploys an app again when the tag of a component with deploy_on_push is pushed, and no other',
    async () => {
      const pinned = (await h.call('GET', '/v2/apps')).body.apps.find(
        (a: any) => a.spec.name === 'pinned',
      );
      h.emulator.push('acme', 'web', 'v2', [{ size: 10 }]);
      expect(
        (await h.call('GET', `/v2/apps/${APP_ID}/deployments`)).body.meta.total,
      ).toBe(3);
      h.emulator.push('acme', 'web', 'latest', [{ size: 10 }]);
      const after = (await h.call('GET', `/v2/apps/${APP_ID}/deployments`)).body
        .deployments;
      expect(after).toHaveLength(4);
      expect(after[0]).toMatchObject({
        phase: 'ACTIVE',
        cause: 'image acme/web:latest pushed to DOCR',
      });
      expect(after[1].phase).toBe('SUPERSEDED');
      const onPush = await h.call(
        'GET',
        `/v2/apps/${APP_ID}/deployments?deployment_types=DEPLOY_ON_PUSH`,
      );
      expect(onPush.body.deployments.map((d: any) => d.id)).toEqual([
        after[0].id,
      ]);
      const pinnedAfter = await h.call(
        'GET',
        `/v2/apps/${pinned.id}/deployments`,
      );
      expect(pinnedAfter.body.meta.total).toBe(1);
    },
    TIMEOUT,
  );

  it(
    'deploys on a push of the tag through the registry host, as docker push does',
    async () => {
      await registryPusher(h.emulator, 'acme', 'web').image('new', {
        tag: 'latest',
      });
      const deployments = (
        await h.call('GET', `/v2/apps/${APP_ID}/deployments`)
      ).body.deployments;
      expect(deployments).toHaveLength(4);
      expect(deployments[0].cause).toBe('image acme/web:latest pushed to DOCR');
    },
    TIMEOUT,
  );

  it(
    'serves the demo seed apps, which validate against the spec',
    async () => {
      await h.start({ seed: loadSeedFile(demoSeedPath) });
      const apps = (await h.call('GET', '/v2/apps')).body.apps;
      expect(apps.map((a: any) => a.spec.name)).toEqual([
        'shop-api',
        'shop-web',
        'staging-web',
        'status-page',
      ]);
      for (const app of apps) {
        const deployments = await h.call(
          'GET',
          `/v2/apps/${app.id}/deployments`,
        );
        expect(deployments.status).toBe(200);
      }
      // Every digest a demo deployment runs is stored; staging-web's are untagged since.
      const staging = apps.find((a: any) => a.spec.name === 'staging-web');
      const runs = (
        await h.call('GET', `/v2/apps/${staging.id}/deployments`)
      ).body.deployments.map((d: any) => d.spec.services[0].image.digest);
      const web = h.emulator.account.registries
        .get('acme-staging')!
        .storage.repositories.get('web')!;
      expect(runs).toHaveLength(2);
      for (const digest of runs) {
        expect(web.manifests.has(digest)).toBe(true);
        expect([...web.tags.values()]).not.toContain(digest);
      }
      const api = apps.find((a: any) => a.spec.name === 'shop-api');
      expect(api.spec.jobs[0].image.digest).toBe(
        h.emulator.account.registries
          .get('acme-prod')!
          .storage.repositories.get('api')!
          .tags.get('v2.0.0'),
      );
    },
    TIMEOUT,
  );
});

describe('seeding App Platform apps', () => {
  it('refuses a pin to a push that never happened, naming it', () => {
    const account = new EmulatedAccount({ now: () => 0, gcStepMs: 1000 });
    expect(() =>
      applySeed(account, {
        registries: [
          {
            name: 'acme',
            images: [{ repository: 'web', tag: 'latest', sizeMiB: 1 }],
          },
        ],
        apps: [
          {
            spec: {
              name: 'shop',
              services: [
                {
                  name: 'web',
                  image: {
                    registry_type: 'DOCR',
                    repository: 'web',
                    pin: { tag: 'latest', pushesAgo: 1 },
                  },
                },
              ],
            },
          },
        ],
      }),
    ).toThrow('Seed app shop, web: no push of acme/web:latest 1 pushes ago');
  });

  it('refuses deploy_on_push on an image pinned by digest', () => {
    const account = new EmulatedAccount({ now: () => 0, gcStepMs: 1000 });
    expect(() =>
      account.appPlatform.create({
        name: 'shop',
        services: [
          {
            name: 'web',
            instance_count: 1,
            // DigitalOcean's type requires `tag` (it defaults to latest) though a digest excludes it.
            image: {
              registry_type: 'DOCR',
              repository: 'web',
              digest: `sha256:${'a'.repeat(64)}`,
              deploy_on_push: { enabled: true },
            } as AppImageSourceSpec,
          },
        ],
      } as AppSpec),
    ).toThrow('web: deploy_on_push needs an image tag, not a digest');
  });
});
