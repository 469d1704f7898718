import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';

jest.setTimeout(60_000);

const seed: EmulatorSeed = {
  account: { subscriptionTier: 'professional' },
  registries: [
    {
      name: 'acme-dev',
      images: [{ repository: 'web', tag: 'latest', sizeMiB: 20, pushes: 3 }],
    },
    {
      name: 'acme-prod',
      images: [{ repository: 'api', tag: 'latest', sizeMiB: 10 }],
    },
  ],
};

const docrConfig = {
  garbageCollection: {
    default: {
      windows: [
        { days: ['sun'], start: '03:00', duration: 'PT2H', timezone: 'UTC' },
      ],
    },
    registries: {
      'acme-prod': {
        windows: [
          {
            days: ['sat'],
            start: '22:00',
            duration: 'PT3H',
            timezone: 'Europe/Berlin',
          },
        ],
      },
    },
  },
};

describe('docr REST API', () => {
  let clock: TestClock;
  let emulator: DoEmulator;
  let docr: DocrTestBackend;
  const audit: Array<{ eventId: string; outcome: string; meta?: any }> = [];

  /** Allows the named permissions (all when none are named). */
  async function start(allowed?: string[]) {
    audit.length = 0;
    clock = new TestClock(Date.parse('2026-11-23T10:00:00Z')); // a Monday
    emulator = await DoEmulator.start({
      seed,
      clock: clock.now,
      gcStepMs: MINUTE,
      validateResponses: true,
    });
    const auditor = mockServices.auditor.mock({
      createEvent: async ({ eventId, meta }: any) => ({
        success: async (options?: any) => {
          audit.push({
            eventId,
            outcome: 'success',
            meta: { ...meta, ...options?.meta },
          });
        },
        fail: async () => {
          audit.push({ eventId, outcome: 'fail', meta });
        },
      }),
    });
    docr = await startDocrBackend({
      emulatorUrl: emulator.url,
      clock,
      docr: docrConfig,
      features: [
        mockServices.permissions.mock({
          authorize: async (requests: any[]) =>
            requests.map(r => ({
              result:
                !allowed || allowed.includes(r.permission.name)
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
            })),
        }).factory,
        auditor.factory,
      ],
    });
    await docr.tick(); // first storage sample
  }

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  it('answers 401 without credentials', async () => {
    await start();
    for (const path of [
      '/registries',
      '/registries/acme-dev',
      '/registries/acme-dev/gc-runs',
    ]) {
      expect((await docr.api('get', path, undefined, null)).status).toBe(401);
    }
    expect(
      (await docr.api('post', '/registries/acme-dev/gc-runs', {}, null)).status,
    ).toBe(401);
  });

  it('lists registries with policy, its source and the next window', async () => {
    await start();
    const { body } = await docr.api('get', '/registries');
    expect(
      body.items.map((r: any) => [r.name, r.policySource, r.managedByConfig]),
    ).toEqual([
      ['acme-dev', 'default', false],
      ['acme-prod', 'config', true],
    ]);
    const prod = body.items[1];
    expect(prod.nextWindow).toEqual({
      start: '2026-11-28T21:00:00.000Z', // Saturday 22:00 in Berlin (CET)
      end: '2026-11-29T00:00:00.000Z',
      timezone: 'Europe/Berlin',
    });
    expect(prod.storageBytes).toBe(
      emulator.account.getRegistry('acme-prod').storage.storageBytes(),
    );
    expect(body.items[0]).toMatchObject({
      activeRun: null,
      lastRun: null,
      openWindow: null,
    });
    expect((await docr.api('get', '/registries/nope')).status).toBe(404);
    expect((await docr.api('get', '/registries/Bad_Name')).status).toBe(400);
  });

  it('runs GC now with permission, refuses a second with 409, cancels, and audits who did it', async () => {
    await start();
    const started = await docr.api('post', '/registries/acme-dev/gc-runs', {});
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      trigger: 'manual',
      status: 'requested',
      type: 'untagged manifests and unreferenced blobs',
      requestedBy: 'user:default/mock',
    });
    const again = await docr.api('post', '/registries/acme-dev/gc-runs', {});
    expect(again.status).toBe(409);
    expect(again.body.error.name).toBe('ConflictError');
    const detail = await docr.api('get', '/registries/acme-dev');
    expect(detail.body.activeRun.id).toBe(started.body.id);

    const cancelled = await docr.api(
      'post',
      `/registries/acme-dev/gc-runs/${started.body.id}/cancel`,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelling',
      reason: 'Cancelled by user:default/mock',
    });
    clock.advance(2 * MINUTE);
    await docr.tick();
    const { body } = await docr.api(
      'get',
      '/registries/acme-dev/gc-runs?limit=10',
    );
    expect(body).toMatchObject({ totalCount: 1, limit: 10, offset: 0 });
    expect(body.items[0].status).toBe('cancelled');
    expect(audit.map(a => [a.eventId, a.outcome])).toEqual([
      ['gc-run-start', 'success'],
      ['gc-run-start', 'fail'],
      ['gc-run-cancel', 'success'],
    ]);
    expect(audit[0].meta).toMatchObject({
      registry: 'acme-dev',
      actor: 'user:default/mock',
    });
  });

  it('answers 502 naming DigitalOcean’s error when DigitalOcean fails', async () => {
    await start();
    emulator.faults.add({
      kind: 'error',
      status: 503,
      count: 10,
      operationId: 'registries_get',
    });
    const res = await docr.api('post', '/registries/acme-dev/gc-runs', {});
    emulator.faults.clear();
    expect(res.status).toBe(502);
    expect(res.body.error.message).toContain(
      'GET /v2/registries/acme-dev failed with 503 service_unavailable',
    );
  });

  it('answers 409 when DigitalOcean already runs a GC started elsewhere', async () => {
    await start();
    emulator.account.startGc('acme-dev', 'unreferenced blobs only');
    const res = await docr.api(
      'post',
      '/registries/acme-dev/gc-runs',
      {},
      mockCredentials.service.header(),
    );
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(
      'DigitalOcean is already running garbage collection',
    );
  });

  it('stores a policy through the API, names the bad field with 400, and refuses config-managed ones', async () => {
    await start();
    const policy = {
      type: 'untagged manifests only',
      windows: [
        {
          days: ['wed'],
          start: '01:30',
          duration: 'PT90M',
          timezone: 'America/New_York',
        },
      ],
    };
    const put = await docr.api('put', '/registries/acme-dev/policy', policy);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      source: 'api',
      managedByConfig: false,
      updatedBy: 'user:default/mock',
    });
    expect(
      (await docr.api('get', '/registries/acme-dev/policy')).body.policy,
    ).toEqual({
      enabled: true,
      cancelAtWindowEnd: true,
      ...policy,
    });

    const bad = await docr.api('put', '/registries/acme-dev/policy', {
      windows: [
        {
          days: ['wed'],
          start: '01:30',
          duration: 'PT1H',
          timezone: 'Moon/Base',
        },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      'windows.0.timezone: Time zone must be an IANA time zone',
    );

    const managed = await docr.api(
      'put',
      '/registries/acme-prod/policy',
      policy,
    );
    expect(managed.status).toBe(409);
    expect(managed.body.error.message).toContain(
      'managed by config (docr.garbageCollection.registries.acme-prod)',
    );
    expect(
      (await docr.api('put', '/registries/unknown/policy', policy)).status,
    ).toBe(404);
    expect(
      audit.filter(a => a.eventId === 'policy-update').map(a => a.outcome),
    ).toEqual(['success', 'fail', 'fail', 'fail']);
  });

  it('counts a registry created through the portal in the account and the list at once, not after the next listing', async () => {
    await start();
    const before = (await docr.api('get', '/registries/acme-dev')).body.account;
    clock.advance(MINUTE);
    emulator.account.createRegistry({ name: 'acme-new', region: 'fra1' });
    emulator.push('acme-new', 'web', 'v1', [{ size: 4096 }]);
    const put = await docr.api('put', '/registries/acme-new/policy', {
      windows: [],
    });
    expect(put.status).toBe(200);
    const { account } = (await docr.api('get', '/registries/acme-dev')).body;
    const storageOf = (name: string) =>
      emulator.account.getRegistry(name).storage.storageBytes();
    expect(account.registryCount).toBe(before.registryCount + 1);
    expect(account.storageBytes).toBe(
      before.storageBytes + storageOf('acme-new'),
    );
    const list = await docr.api('get', '/registries');
    expect(list.body.items.map((r: any) => r.name)).toContain('acme-new');
  });

  it('answers 403 without permission, naming it, and does nothing', async () => {
    await start(['docr.registry.read']);
    emulator.requests.reset();
    const run = await docr.api('post', '/registries/acme-dev/gc-runs', {});
    expect(run.status).toBe(403);
    expect(run.body.error.message).toBe(
      'Not allowed: docr.garbage-collection.run on resource:default/docr-acme-dev',
    );
    const policy = await docr.api('put', '/registries/acme-dev/policy', {
      windows: [],
    });
    expect(policy.status).toBe(403);
    expect(policy.body.error.message).toContain('docr.policy.update');
    expect(emulator.requests.mutating()).toEqual([]);
    expect(emulator.account.getRegistry('acme-dev').gcRuns).toHaveLength(0);
    expect(
      (await docr.api('get', '/registries/acme-dev/gc-runs')).body.totalCount,
    ).toBe(0);
    expect(
      (await docr.api('get', '/registries/acme-dev/policy')).body.source,
    ).toBe('default');
    expect(audit.map(a => [a.eventId, a.outcome])).toEqual([
      ['gc-run-start', 'fail'],
      ['policy-update', 'fail'],
    ]);
  });

  it('needs docr.registry.read to read, and lists only the registries the user may read', async () => {
    await start([]);
    for (const path of [
      '/registries/acme-dev',
      '/registries/acme-dev/policy',
      '/registries/acme-dev/gc-runs',
      '/registries/acme-dev/storage',
    ]) {
      const res = await docr.api('get', path);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('docr.registry.read');
    }
    expect((await docr.api('get', '/registries')).body.items).toEqual([]);
  });

  it('serves storage history and shows GCs started from the console', async () => {
    await start();
    const gc = emulator.account.startGc(
      'acme-dev',
      'untagged manifests and unreferenced blobs',
    );
    clock.advance(5 * MINUTE);
    expect(
      (await docr.api('get', '/registries/acme-dev/gc-runs')).body.items,
    ).toEqual([]); // reading never calls DigitalOcean: the GC task imports it
    clock.advance(61 * MINUTE);
    await docr.tick(); // the hourly sample imports GCs started elsewhere
    const runs = await docr.api('get', '/registries/acme-dev/gc-runs');
    expect(runs.body.items[0]).toMatchObject({
      trigger: 'external',
      doUuid: gc.uuid,
      status: 'succeeded',
    });
    expect(runs.body.items[0].freedBytes).toBe(gc.freedBytes);
    const storage = await docr.api(
      'get',
      '/registries/acme-dev/storage?days=7',
    );
    expect(storage.body.items.map((s: any) => s.storageBytes)).toEqual([
      expect.any(Number),
      emulator.account.getRegistry('acme-dev').storage.storageBytes(),
    ]);
    expect(storage.body.items[0].storageBytes).toBeGreaterThan(
      storage.body.items[1].storageBytes,
    );
    expect(
      (await docr.api('get', '/registries/acme-dev/storage?days=0')).status,
    ).toBe(400);
  });
});
