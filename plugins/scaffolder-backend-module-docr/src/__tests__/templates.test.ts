import { DoEmulator } from '@backstage-docr/do-emulator';
import { Portal, loadTemplate, startPortal } from '../__testUtils__/portal';

jest.setTimeout(120_000);

const PROD_CLUSTER = '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02';

describe('software templates through the scaffolder’s task API', () => {
  let emulator: DoEmulator;
  let portal: Portal;

  beforeAll(async () => {
    emulator = await DoEmulator.start({
      validateResponses: true,
      seed: {
        account: { takenNames: ['taken'] },
        clusters: [{ id: PROD_CLUSTER, name: 'prod-ams3', region: 'ams3' }],
      },
    });
    portal = await startPortal({ emulatorUrl: emulator.url });
  });

  afterAll(async () => {
    await portal?.stop();
    await emulator?.stop();
  });

  it('creates the production pair with tier, regions, GC policy and catalog entities', async () => {
    const run = await portal.runTask('docr-production-registries', {
      name: 'acme',
      primaryRegion: 'fra1',
      secondaryRegion: 'ams3',
      timezone: 'America/New_York',
    });
    expect(run.status).toBe('completed');
    const registries = [...emulator.account.registries.values()].map(r => [
      r.name,
      r.region,
    ]);
    expect(registries).toEqual([
      ['acme-fra1', 'fra1'],
      ['acme-ams3', 'ams3'],
    ]);
    expect(emulator.account.subscription?.tierSlug).toBe('professional');
    for (const [name, start] of [
      ['acme-fra1', '03:00'],
      ['acme-ams3', '05:00'],
    ]) {
      const policy = await portal.api.get(
        `/api/docr/registries/${name}/policy`,
      );
      expect(policy.body).toMatchObject({
        source: 'api',
        policy: {
          type: 'untagged manifests and unreferenced blobs',
          windows: [
            {
              days: ['sun'],
              start,
              duration: 'PT2H',
              timezone: 'America/New_York',
            },
          ],
        },
      });
    }
    const entity = await portal.waitFor(
      () =>
        portal.api.get(
          '/api/catalog/entities/by-name/resource/default/docr-acme-fra1',
        ),
      res => res.status === 200,
    );
    expect(entity.body.spec.type).toBe('container-registry');
    expect(run.log).toContain(
      'Created registry registry.digitalocean.com/acme-fra1 in fra1',
    );
  });

  it('integrates the DOKS cluster picked as a catalog entity, and a second run changes nothing', async () => {
    const values = {
      name: 'acme-apps',
      tier: 'professional',
      region: 'ams3',
      clusters: ['resource:default/doks-prod-ams3'],
    };
    const first = await portal.runTask('docr-registry-with-doks', values);
    expect(first.status).toBe('completed');
    expect(emulator.account.getCluster(PROD_CLUSTER)).toMatchObject({
      registry_enabled: true,
      registries: ['acme-apps'],
    });

    // Adopting an existing registry needs docr.policy.update on its entity (the default user is
    // a member of the owning group): wait for the entity the first run asked the catalog for.
    await portal.waitForRegistryEntity('acme-apps');
    emulator.requests.reset();
    const second = await portal.runTask('docr-registry-with-doks', values);
    expect(second.log).not.toContain('Not allowed');
    expect(second.status).toBe('completed');
    expect(second.log).toContain(
      'Registry acme-apps already exists with these settings: nothing to create',
    );
    expect(emulator.requests.count('registries_create')).toBe(0);
    expect(emulator.requests.count('kubernetes_add_registries')).toBe(0);
    expect(
      [...emulator.account.registries.keys()].filter(n => n === 'acme-apps'),
    ).toHaveLength(1);
  });

  it('resumes a task that failed after create and before integrate, without a second create', async () => {
    emulator.faults.add({
      kind: 'error',
      status: 500,
      count: 10,
      operationId: 'kubernetes_add_registries',
    });
    const values = {
      name: 'acme-resume',
      tier: 'professional',
      region: 'fra1',
      clusters: ['prod-ams3'],
    };
    const failed = await portal.runTask('docr-registry-with-doks', values);
    emulator.faults.clear();
    expect(failed.status).toBe('failed');
    expect(emulator.account.registries.has('acme-resume')).toBe(true);
    expect(emulator.account.getCluster(PROD_CLUSTER).registries).not.toContain(
      'acme-resume',
    );

    emulator.requests.reset();
    const retried = await portal.api.post(
      `/api/scaffolder/v2/tasks/${failed.id}/retry`,
      {},
    );
    expect(retried.status).toBe(201);
    const done = await portal.waitForTask(failed.id);
    expect(done.status).toBe('completed');
    expect(emulator.requests.count('registries_create')).toBe(0);
    expect(emulator.account.getCluster(PROD_CLUSTER).registries).toContain(
      'acme-resume',
    );
  });

  it('refuses a name taken by another account creating nothing, and keeps a higher tier for a registry that needs less', async () => {
    emulator.requests.reset();
    const taken = await portal.runTask('docr-staging-registry', {
      name: 'taken',
      region: 'fra1',
      timezone: 'UTC',
    });
    expect(taken.status).toBe('failed');
    expect(taken.log).toContain(
      'name: "taken" is taken by another DigitalOcean account; registry names are global, choose another',
    );
    expect(emulator.requests.mutating()).toEqual([]);
    // The staging template needs basic; the account is on professional: it stays there.
    const staging = await portal.runTask('docr-staging-registry', {
      name: 'acme-staging',
      region: 'fra1',
      timezone: 'UTC',
    });
    expect(staging.status).toBe('completed');
    expect(staging.log).toContain(
      'the account stays on professional (the registry needs basic)',
    );
    expect(emulator.account.subscription?.tierSlug).toBe('professional');
    expect(emulator.requests.count('registries_update_subscription')).toBe(0);
  });

  it('dry-runs a template without calling anything that changes state', async () => {
    emulator.requests.reset();
    const template = loadTemplate('registry-with-doks.yaml');
    const res = await portal.api.post('/api/scaffolder/v2/dry-run', {
      template,
      values: {
        name: 'acme-dry',
        tier: 'professional',
        region: 'fra1',
        clusters: ['prod-ams3'],
      },
      directoryContents: [],
    });
    expect(res.status).toBe(200);
    const log = res.body.log.map((l: any) => l.body.message).join('\n');
    expect(log).toContain(
      'Dry run: checked; would create registry acme-dry (professional, fra1); integrate it with DOKS clusters prod-ams3',
    );
    expect(emulator.requests.count('registries_list')).toBeGreaterThan(0);
    expect(emulator.requests.mutating()).toEqual([]);
    expect(emulator.account.registries.has('acme-dry')).toBe(false);
  });

  it('gives each invalid field its own message before anything is created', async () => {
    emulator.requests.reset();
    const template = {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'bad' },
      spec: {
        type: 'resource',
        owner: 'group:default/platform',
        parameters: [],
        steps: [
          {
            id: 'registry',
            action: 'digitalocean:registry:create',
            input: {
              name: '-Bad',
              subscriptionTier: 'gold',
              region: 'mars1',
              garbageCollection: {
                window: {
                  days: ['someday'],
                  start: '3am',
                  duration: 'PT2H',
                  timezone: 'Moon/Base',
                },
              },
              doksClusters: ['nope'],
            },
          },
        ],
      },
    };
    const res = await portal.api.post('/api/scaffolder/v2/dry-run', {
      template,
      values: {},
      directoryContents: [],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    const log = res.body.error.message;
    expect(log).toMatch(/^Nothing was created or changed:/);
    for (const message of [
      'name: Registry name must be lowercase',
      'garbageCollection.window.days.0: Day must be one of mon, tue, wed, thu, fri, sat, sun',
      'garbageCollection.window.start: Start must be a 24-hour time such as "03:00"',
      'garbageCollection.window.timezone: Time zone must be an IANA time zone',
      'subscriptionTier: "gold" is not a tier DigitalOcean offers (starter, basic, professional)',
      'region: "mars1" is not a region for container registries',
      'doksClusters: no DOKS cluster "nope" in the account (clusters: prod-ams3)',
    ]) {
      expect(log).toContain(message);
    }
    expect(emulator.requests.mutating()).toEqual([]);
  });
});
