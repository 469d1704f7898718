import request from 'supertest';
import type { SchedulerService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { DoEmulator } from '@backstage-docr/do-emulator';
import { startDemoCatalog } from '../__testUtils__/demoCatalog';
import {
  DENIED_USER,
  TestBackend,
  byName,
  eventually,
  names,
  permissionsDenyingOneUser,
  relations,
  resources,
} from '../__testUtils__/harness';

const TASK = 'digitalocean-provider:default:refresh';
const PROD = '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02';
const SUBSCRIPTION = 'do-registry-subscription-default';
const ALL = [
  SUBSCRIPTION,
  'doapp-shop-api',
  'doapp-shop-web',
  'doapp-staging-web',
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

  beforeAll(async () => {
    ({ emulator, backend, scheduler } = await startDemoCatalog({
      features: [permissionsDenyingOneUser],
    }));
  });

  afterAll(async () => {
    await backend?.stop();
    await emulator?.stop();
  });

  it('emits the account’s subscription, every registry, DOKS cluster and App Platform app from DOCR as Resources, in five DO calls plus one per cluster (its CA, read after)', async () => {
    emulator.requests.reset();
    await scheduler.triggerTask(TASK);
    // The CAs are read in the background once the entities are out.
    await eventually(
      () => resources(backend),
      e =>
        ['doks-prod-ams3', 'doks-staging-fra1'].forEach(name =>
          expect(
            byName(e, name)?.metadata.annotations?.[
              'kubernetes.io/api-server-certificate-authority'
            ],
          ).toBeTruthy(),
        ),
    );
    expect(emulator.requests.summary().byOperation).toEqual({
      apps_list: 1,
      kubernetes_get_credentials: 2,
      kubernetes_list_clusters: 1,
      registries_get_options: 1,
      registries_get_subscription: 1,
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
      dependsOn: [`resource:default/${SUBSCRIPTION}`],
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
      'resource:default/doapp-shop-api',
      'resource:default/doapp-shop-web',
      'resource:default/doks-prod-ams3',
    ]);
    // The demo's shop-api runs in fra from the ams3 registry.
    expect(
      byName(entities, 'doapp-shop-api')!.metadata.annotations![
        'digitalocean.com/cross-region-registries'
      ],
    ).toBe('acme-prod');
    expect(
      relations(byName(entities, 'docr-acme-dev'), 'dependencyOf'),
    ).toEqual(['resource:default/doks-staging-fra1']);
  });

  it('reads each cluster’s CA once a day, not at every refresh, asking for the shortest-lived token', async () => {
    emulator.requests.reset();
    await scheduler.triggerTask(TASK);
    expect(emulator.requests.summary().byOperation).toEqual({
      apps_list: 1,
      kubernetes_list_clusters: 1,
      registries_get_options: 1,
      registries_get_subscription: 1,
      registries_list: 1,
    });
    const entities = await resources(backend);
    expect(
      byName(entities, 'doks-prod-ams3')!.metadata.annotations![
        'kubernetes.io/api-server-certificate-authority'
      ],
    ).toBeTruthy();
  });

  it('the subscription entity carries the account’s figures: DigitalOcean’s sums, the tier’s limits, the month’s cost, and its registries depend on it', async () => {
    await scheduler.triggerTask(TASK);
    const entities = await eventually(
      () => resources(backend),
      e => expect(names(e)).toContain(SUBSCRIPTION),
    );
    const subscription = byName(entities, SUBSCRIPTION)!;
    const registries = [...emulator.account.registries.values()];
    const storage = emulator.account.storageBytes();
    const professional = emulator.account.currentTier()!;
    expect(professional.slug).toBe('professional');
    const overageGiB = Math.max(
      0,
      (storage - professional.included_storage_bytes!) / 1024 ** 3,
    );
    expect(subscription.spec).toMatchObject({
      type: 'container-registry-subscription',
      owner: 'group:default/platform',
    });
    expect(subscription.metadata.annotations).toMatchObject({
      'digitalocean.com/account': 'default',
      'digitalocean.com/subscription-tier': 'professional',
      'digitalocean.com/registry-count': String(registries.length),
      'digitalocean.com/registry-limit': '10',
      'digitalocean.com/available-regions': emulator.account.regions.join(','),
      'digitalocean.com/storage-usage-bytes': String(storage),
      'digitalocean.com/included-storage-bytes': String(
        professional.included_storage_bytes,
      ),
      'digitalocean.com/tier-monthly-price-cents': String(
        professional.monthly_price_in_cents,
      ),
      'digitalocean.com/monthly-cost-cents': String(
        professional.monthly_price_in_cents! +
          Math.round(
            overageGiB * professional.storage_overage_price_in_cents! * 100,
          ) /
            100,
      ),
    });
    expect(relations(subscription, 'dependencyOf')).toEqual(
      registries.map(r => `resource:default/docr-${r.name}`).sort(),
    );
    expect(relations(byName(entities, 'docr-acme-prod'), 'dependsOn')).toEqual([
      `resource:default/${SUBSCRIPTION}`,
    ]);
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
      'resource:default/doapp-staging-web',
      'resource:default/doks-prod-ams3',
      'resource:default/doks-staging-fra1',
    ]);
  });

  it('keeps the last good entities through a 5xx or 429 storm', async () => {
    const before = names(await resources(backend));
    const refresh = () =>
      request(backend.server)
        .post('/api/catalog/digitalocean/refresh')
        .set('authorization', mockCredentials.service.header());

    emulator.requests.reset();
    emulator.faults.add({ kind: 'error', status: 503, count: 1000 });
    // The route only triggers the scheduled run (this mock scheduler runs it before answering);
    // the run's failure goes to the scheduler, not to the caller.
    const failed = await refresh();
    emulator.faults.clear();
    expect(failed.status).toBe(202);
    expect(emulator.requests.count('registries_list')).toBeGreaterThan(0);

    emulator.requests.reset();
    emulator.faults.add({ kind: 'error', status: 429, count: 1000 });
    const limited = await refresh();
    emulator.faults.clear();
    expect(limited.status).toBe(202);
    expect(emulator.requests.count('registries_list')).toBeGreaterThan(0);
    // A full mutation removes entities in the same transaction that applies it, before the
    // route answers: had a failed run replaced them, they would be gone by now.
    expect(names(await resources(backend))).toEqual(before);
  });

  it('refuses a user without docr.catalog.refresh with 403 naming it, without a DigitalOcean request', async () => {
    const metadata = await request(backend.server)
      .get('/api/catalog/.well-known/backstage/permissions/metadata')
      .set('authorization', mockCredentials.service.header());
    expect(metadata.status).toBe(200);
    expect(metadata.body.permissions).toContainEqual(
      expect.objectContaining({ type: 'basic', name: 'docr.catalog.refresh' }),
    );

    emulator.requests.reset();
    const denied = await request(backend.server)
      .post('/api/catalog/digitalocean/refresh')
      .set('authorization', mockCredentials.user.header(DENIED_USER))
      .send({ provider: 'default' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.name).toBe('NotAllowedError');
    expect(denied.body.error.message).toContain('docr.catalog.refresh');
    expect(emulator.requests.count()).toBe(0);

    // The same request by an allowed user reads DigitalOcean.
    const allowed = await request(backend.server)
      .post('/api/catalog/digitalocean/refresh')
      .set('authorization', mockCredentials.user.header())
      .send({ provider: 'default' });
    expect(allowed.status).toBe(202);
    expect(emulator.requests.count('registries_list')).toBe(1);
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
    const unknownQuery = await request(backend.server)
      .post('/api/catalog/digitalocean/refresh?provider=nope')
      .set('authorization', mockCredentials.service.header());
    expect(unknownQuery.status).toBe(404);
    const res = await request(backend.server)
      .post('/api/catalog/digitalocean/refresh')
      .set('authorization', mockCredentials.service.header())
      .send({ provider: 'default' });
    expect(res.status).toBe(202);
    expect(res.body.results).toEqual([
      {
        provider: 'digitalocean-provider:default',
        taskId: TASK,
        status: 'triggered',
      },
    ]);
    await eventually(
      () => resources(backend),
      e => expect(names(e)).toContain('docr-acme-new'),
    );
  });
});
