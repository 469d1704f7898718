import type { SchedulerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { DoEmulator, type SeedApp } from '@backstage-docr/do-emulator';
import { parseAppImages } from '@backstage-docr/plugin-docr-common';
import { startCatalogBackend } from '../__testUtils__/demoCatalog';
import {
  TestBackend,
  byName,
  catalogConfig,
  eventually,
  relations,
  resources,
} from '../__testUtils__/harness';

const TIMEOUT = 120_000;

const inDefault = (entities: Entity[], name: string) =>
  byName(
    entities.filter(e => e.metadata.namespace === 'default'),
    name,
  );
const SHOP_ID = '5a1f0c3e-7d2b-4e8a-9c61-3b0d2e4f5a01';

const docr = (
  registry: string | undefined,
  repository: string,
  more: Record<string, unknown> = {},
) => ({
  registry_type: 'DOCR' as const,
  ...(registry ? { registry } : {}),
  repository,
  ...more,
});

/** Account `default`: two registries in ams3 and fra1, three apps (one from Docker Hub only). */
const defaultApps: SeedApp[] = [
  {
    id: SHOP_ID,
    spec: {
      name: 'shop',
      region: 'ams',
      services: [
        {
          name: 'web',
          image: docr('acme-prod', 'web', {
            tag: 'v2',
            deploy_on_push: { enabled: true },
          }),
        },
      ],
      workers: [{ name: 'worker', image: docr('acme-prod', 'worker') }],
      jobs: [
        {
          name: 'migrate',
          image: docr('acme-prod', 'web', { pin: { tag: 'v2' } }),
        },
      ],
    },
  },
  {
    spec: {
      name: 'reports',
      region: 'fra',
      services: [{ name: 'api', image: docr('acme-prod', 'reports') }],
      workers: [{ name: 'cron', image: docr('acme-dev', 'reports') }],
    },
  },
  {
    spec: {
      name: 'status',
      region: 'nyc',
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
];

describe('App Platform apps in the catalog', () => {
  let main: DoEmulator;
  let teamB: DoEmulator;
  let backend: TestBackend;
  let scheduler: SchedulerService;

  beforeAll(async () => {
    main = await DoEmulator.start({
      validateResponses: true,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [
          {
            name: 'acme-prod',
            region: 'ams3',
            images: [{ repository: 'web', tag: 'v2', sizeMiB: 1 }],
          },
          { name: 'acme-dev', region: 'fra1' },
        ],
        apps: defaultApps,
      },
    });
    // Another account with one registry: its app's DOCR image names no registry.
    teamB = await DoEmulator.start({
      validateResponses: true,
      seed: {
        account: { subscriptionTier: 'basic' },
        registries: [{ name: 'acme-prod', region: 'sgp1' }],
        apps: [
          {
            spec: {
              name: 'shop',
              region: 'sgp',
              services: [{ name: 'web', image: docr(undefined, 'web') }],
            },
          },
        ],
      },
    });
    const config = catalogConfig(main.url);
    ({ backend, scheduler } = await startCatalogBackend({
      config: {
        ...config,
        digitalocean: {
          accounts: [
            { id: 'default', apiUrl: main.url, token: 'a' },
            { id: 'team-b', apiUrl: teamB.url, token: 'b' },
          ],
        },
        catalog: {
          ...config.catalog,
          providers: {
            digitalocean: {
              default: config.catalog.providers.digitalocean.default,
              teamb: {
                ...config.catalog.providers.digitalocean.default,
                account: 'team-b',
              },
            },
          },
        },
      },
    }));
  }, TIMEOUT);

  afterAll(async () => {
    await backend?.stop();
    await main?.stop();
    await teamB?.stop();
  });

  const refreshBoth = async () => {
    await scheduler.triggerTask('digitalocean-provider:default:refresh');
    await scheduler.triggerTask('digitalocean-provider:teamb:refresh');
  };

  it(
    'emits a Resource per app that runs a DOCR image, dependsOn its registries, in each account’s namespace',
    async () => {
      main.requests.reset();
      await refreshBoth();
      expect(main.requests.count('apps_list')).toBe(1);
      const entities = await eventually(
        () => resources(backend),
        e =>
          expect(
            e
              .filter(x => x.spec?.type === 'digitalocean-app')
              .map(x => `${x.metadata.namespace}/${x.metadata.name}`)
              .sort(),
          ).toEqual([
            'default/doapp-reports',
            'default/doapp-shop',
            'team-b/doapp-shop',
          ]),
      );
      const shop = inDefault(entities, 'doapp-shop')!;
      expect(shop.spec).toEqual({
        type: 'digitalocean-app',
        owner: 'group:default/platform',
        lifecycle: 'production',
        system: 'system:default/delivery',
        dependsOn: ['resource:default/docr-acme-prod'],
      });
      const app = main.account.appPlatform.get(SHOP_ID).app;
      expect(shop.metadata.annotations).toMatchObject({
        'digitalocean.com/account': 'default',
        'digitalocean.com/app-id': SHOP_ID,
        'digitalocean.com/region': 'ams',
        'digitalocean.com/app-data-centers': 'ams3',
        'backstage.io/view-url': `https://cloud.digitalocean.com/apps/${SHOP_ID}`,
        'backstage.io/managed-by-location': 'digitalocean:default',
        'backstage.io/managed-by-origin-location': 'digitalocean:default',
      });
      expect(
        shop.metadata.annotations!['digitalocean.com/cross-region-registries'],
      ).toBeUndefined();
      expect(shop.metadata.links).toContainEqual({
        url: app.live_url,
        title: 'Live app',
        icon: 'web',
      });
      const pinned = main.account.registries
        .get('acme-prod')!
        .storage.repositories.get('web')!
        .tags.get('v2');
      expect(
        parseAppImages(
          shop.metadata.annotations!['digitalocean.com/app-images'],
        ),
      ).toEqual([
        {
          component: 'web',
          kind: 'service',
          registry: 'acme-prod',
          repository: 'web',
          tag: 'v2',
          deployOnPush: true,
        },
        {
          component: 'worker',
          kind: 'worker',
          registry: 'acme-prod',
          repository: 'worker',
          tag: 'latest',
          deployOnPush: false,
        },
        {
          component: 'migrate',
          kind: 'job',
          registry: 'acme-prod',
          repository: 'web',
          digest: pinned,
          deployOnPush: false,
        },
      ]);
      // The registry's page finds its apps through the inverse relation.
      expect(
        relations(inDefault(entities, 'docr-acme-prod'), 'dependencyOf'),
      ).toEqual([
        'resource:default/doapp-reports',
        'resource:default/doapp-shop',
      ]);

      // Team B's app names no registry: its account's only one.
      const teamBShop = entities.find(
        e =>
          e.metadata.namespace === 'team-b' && e.metadata.name === 'doapp-shop',
      )!;
      expect(relations(teamBShop, 'dependsOn')).toEqual([
        'resource:team-b/docr-acme-prod',
      ]);
      expect(
        parseAppImages(
          teamBShop.metadata.annotations!['digitalocean.com/app-images'],
        )[0],
      ).toMatchObject({ registry: 'acme-prod', tag: 'latest' });
    },
    TIMEOUT,
  );

  it(
    'names the registries an app pulls from across regions, as for a DOKS cluster',
    async () => {
      await refreshBoth();
      const entities = await eventually(
        () => resources(backend),
        e => expect(inDefault(e, 'doapp-reports')).toBeDefined(),
      );
      const reports = inDefault(entities, 'doapp-reports')!;
      // In fra: acme-dev (fra1) is near, acme-prod (ams3) is not.
      expect(
        reports.metadata.annotations![
          'digitalocean.com/cross-region-registries'
        ],
      ).toBe('acme-prod');
      expect(reports.metadata.description).toBe(
        'App Platform app in fra, 2 components from DOCR; pulls across regions from acme-prod (ams3)',
      );
      expect(relations(reports, 'dependsOn')).toEqual([
        'resource:default/docr-acme-dev',
        'resource:default/docr-acme-prod',
      ]);
    },
    TIMEOUT,
  );

  it(
    'still emits the registries when the token may not list apps, and keeps the apps through a 5xx',
    async () => {
      main.faults.add({
        kind: 'error',
        status: 500,
        count: 100,
        operationId: 'apps_list',
      });
      await scheduler.triggerTask('digitalocean-provider:default:refresh');
      main.faults.clear();
      expect(inDefault(await resources(backend), 'doapp-shop')).toBeDefined();

      main.faults.add({
        kind: 'error',
        status: 403,
        count: 1,
        operationId: 'apps_list',
      });
      main.account.createRegistry({ name: 'acme-new', region: 'fra1' });
      await scheduler.triggerTask('digitalocean-provider:default:refresh');
      const entities = await eventually(
        () => resources(backend),
        e => expect(inDefault(e, 'docr-acme-new')).toBeDefined(),
      );
      expect(
        entities
          .filter(e => e.metadata.namespace === 'default')
          .some(e => e.spec?.type === 'digitalocean-app'),
      ).toBe(false);
    },
    TIMEOUT,
  );
});
