import request from 'supertest';
import {
  SchedulerService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  DoEmulator,
  demoSeedPath,
  loadSeedFile,
} from '@backstage-docr/do-emulator';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModule from '..';
import {
  TestBackend,
  byName,
  catalogConfig,
  eventually,
  names,
  relations,
  resources,
} from '../__testUtils__/harness';

const TASK = 'digitalocean-provider:default:refresh';
const PROD = '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02';
const ALL = [
  'docr-acme-dev',
  'docr-acme-prod',
  'docr-acme-staging',
  'doks-prod-ams3',
  'doks-staging-fra1',
];

describe('DigitalOcean entity provider in a real catalog backend', () => {
  let emulator: DoEmulator;
  let backend: TestBackend;
  let scheduler: SchedulerService;
  // Captures the catalog's scheduler so tests run the provider's task when they choose.
  const captureScheduler = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'capture-scheduler',
    register(env) {
      env.registerInit({
        deps: { pluginScheduler: coreServices.scheduler },
        async init({ pluginScheduler }) {
          scheduler = pluginScheduler;
        },
      });
    },
  });

  beforeAll(async () => {
    emulator = await DoEmulator.start({
      seed: loadSeedFile(demoSeedPath),
      validateResponses: true,
    });
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModule,
        captureScheduler,
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({ data: catalogConfig(emulator.url) }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await emulator?.stop();
  });

  it('emits every registry and DOKS cluster as a Resource, at a constant number of DO calls', async () => {
    emulator.requests.reset();
    await scheduler.triggerTask(TASK);
    expect(emulator.requests.summary().byOperation).toEqual({
      kubernetes_list_clusters: 1,
      registries_get_options: 1,
      registries_list: 1,
    });
    const entities = await eventually(
      () => resources(backend),
      e => expect(names(e)).toEqual(ALL),
    );

    const prod = byName(entities, 'docr-acme-prod')!;
    expect(prod.spec).toEqual({
      type: 'container-registry',
      owner: 'group:default/platform',
      lifecycle: 'production',
      system: 'system:default/delivery',
    });
    expect(prod.metadata.title).toBe('acme-prod');
    expect(prod.metadata.annotations).toMatchObject({
      'digitalocean.com/registry-name': 'acme-prod',
      'digitalocean.com/region': 'ams3',
      'digitalocean.com/subscription-tier': 'professional',
      'digitalocean.com/server-url': 'registry.digitalocean.com/acme-prod',
      'digitalocean.com/included-storage-bytes': String(100 * 1024 ** 3),
      'digitalocean.com/account': 'default',
      'backstage.io/view-url':
        'https://cloud.digitalocean.com/registry/acme-prod',
      'backstage.io/managed-by-location': 'digitalocean:default',
      'backstage.io/managed-by-origin-location': 'digitalocean:default',
    });
    const registry = emulator.account.getRegistry('acme-prod');
    expect(
      prod.metadata.annotations!['digitalocean.com/storage-usage-bytes'],
    ).toBe(String(registry.storage.storageBytes()));
    expect(
      prod.metadata.annotations!['digitalocean.com/storage-usage-updated-at'],
    ).toBe(new Date(registry.storageUpdatedAt).toISOString());

    const cluster = byName(entities, 'doks-prod-ams3')!;
    expect(cluster.spec).toMatchObject({
      type: 'kubernetes-cluster',
      dependsOn: ['resource:default/docr-acme-prod'],
    });
    expect(cluster.metadata.annotations).toMatchObject({
      'kubernetes.io/api-server': `https://${PROD}.k8s.ondigitalocean.com`,
      'digitalocean.com/cluster-id': PROD,
      'digitalocean.com/region': 'ams3',
      'digitalocean.com/kubernetes-version': '1.33.1-do.0',
      'digitalocean.com/node-pools':
        'web: 3 × s-4vcpu-8gb; workers: 2 × c-4 (autoscale 2–6)',
    });
    // The registry page finds its clusters through the inverse relation.
    expect(relations(cluster, 'dependsOn')).toEqual([
      'resource:default/docr-acme-prod',
    ]);
    expect(relations(prod, 'dependencyOf')).toEqual([
      'resource:default/doks-prod-ams3',
    ]);
    expect(
      relations(byName(entities, 'docr-acme-dev'), 'dependencyOf'),
    ).toEqual(['resource:default/doks-staging-fra1']);
  });

  it('shows drift: an integration made in DigitalOcean appears, a deleted registry disappears', async () => {
    emulator.account.setClusterRegistries([PROD], ['acme-staging'], true);
    emulator.account.deleteRegistry('acme-dev');
    await scheduler.triggerTask(TASK);
    const entities = await eventually(
      () => resources(backend),
      e => {
        expect(names(e)).toEqual(ALL.filter(n => n !== 'docr-acme-dev'));
        expect(relations(byName(e, 'doks-prod-ams3'), 'dependsOn')).toEqual([
          'resource:default/docr-acme-prod',
          'resource:default/docr-acme-staging',
        ]);
      },
    );
    expect(
      relations(byName(entities, 'docr-acme-staging'), 'dependencyOf'),
    ).toEqual([
      'resource:default/doks-prod-ams3',
      'resource:default/doks-staging-fra1',
    ]);
  });

  it('keeps the last good entities through a 5xx or 429 storm', async () => {
    const before = names(await resources(backend));
    emulator.faults.add({ kind: 'error', status: 503, count: 1000 });
    const failed = await request(backend.server)
      .post('/api/catalog/digitalocean/refresh')
      .set('authorization', mockCredentials.service.header());
    emulator.faults.clear();
    expect(failed.status).toBe(502);
    expect(failed.body.error.message).toContain(
      'failed with 503 service_unavailable',
    );

    emulator.faults.add({ kind: 'error', status: 429, count: 1000 });
    const limited = await request(backend.server)
      .post('/api/catalog/digitalocean/refresh')
      .set('authorization', mockCredentials.service.header());
    emulator.faults.clear();
    expect(limited.status).toBe(502);
    expect(limited.body.error.name).toBe('DigitalOceanRateLimitError');
    await new Promise(resolve => setTimeout(resolve, 1500));
    expect(names(await resources(backend))).toEqual(before);
  });

  it('refreshes at once on request, so a new registry shows within seconds', async () => {
    emulator.account.createRegistry({ name: 'acme-new', region: 'fra1' });
    const unauthenticated = await request(backend.server).post(
      '/api/catalog/digitalocean/refresh',
    );
    expect(unauthenticated.status).toBe(401);
    const unknown = await request(backend.server)
      .post('/api/catalog/digitalocean/refresh')
      .set('authorization', mockCredentials.service.header())
      .send({ provider: 'nope' });
    expect(unknown.status).toBe(404);
    const started = Date.now();
    const res = await request(backend.server)
      .post('/api/catalog/digitalocean/refresh')
      .set('authorization', mockCredentials.service.header())
      .send({ provider: 'default' });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { provider: 'digitalocean-provider:default', registries: 3, clusters: 2 },
    ]);
    await eventually(
      () => resources(backend),
      e => expect(names(e)).toContain('docr-acme-new'),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
