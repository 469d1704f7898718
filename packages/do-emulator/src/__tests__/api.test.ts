import { DoEmulator } from '../http/server';
import { caller } from './http';

describe('emulator API behaviour', () => {
  let emulator: DoEmulator;
  let call: ReturnType<typeof caller>;

  afterEach(() => emulator?.stop());

  async function start(options: Parameters<typeof DoEmulator.start>[0] = {}) {
    emulator = await DoEmulator.start({ validateResponses: true, ...options });
    call = caller(emulator);
  }

  describe('creating registries: bad input gets a clear error', () => {
    beforeEach(() =>
      start({ seed: { account: { takenNames: ['taken-elsewhere'] } } }),
    );

    it.each([
      ['empty', ''],
      ['64 characters', 'a'.repeat(64)],
      ['uppercase', 'MyRegistry'],
      ['an underscore', 'my_registry'],
    ])(
      'refuses a name that is %s with 422 naming the field',
      async (_, name) => {
        const res = await call('POST', '/v2/registries', {
          name,
          subscription_tier_slug: 'basic',
          region: 'fra1',
        });
        expect(res.status).toBe(422);
        expect(res.body.id).toBe('unprocessable_entity');
        expect(res.body.message).toContain('/requestBody/name');
        expect(res.body.request_id).toEqual(expect.any(String));
        expect(emulator.account.registries.size).toBe(0);
      },
    );

    it('refuses an unknown tier and an unknown region', async () => {
      const tier = await call('POST', '/v2/registries', {
        name: 'ok',
        subscription_tier_slug: 'enterprise',
      });
      expect(tier.status).toBe(422);
      expect(tier.body.message).toContain('subscription_tier_slug');
      const region = await call('POST', '/v2/registries', {
        name: 'ok',
        subscription_tier_slug: 'basic',
        region: 'mars1',
      });
      expect(region.status).toBe(422);
      expect(region.body.message).toContain('region');
    });

    it('refuses a name taken by this or another account with 409', async () => {
      expect(
        (
          await call('POST', '/v2/registries/validate-name', {
            name: 'taken-elsewhere',
          })
        ).status,
      ).toBe(409);
      const elsewhere = await call('POST', '/v2/registries', {
        name: 'taken-elsewhere',
        subscription_tier_slug: 'basic',
      });
      expect(elsewhere.status).toBe(409);
      expect(elsewhere.body.message).toContain('already taken');
      expect(
        (
          await call('POST', '/v2/registries', {
            name: 'mine',
            subscription_tier_slug: 'basic',
          })
        ).status,
      ).toBe(201);
      expect(
        (await call('POST', '/v2/registries/validate-name', { name: 'mine' }))
          .status,
      ).toBe(409);
      expect(
        (
          await call('POST', '/v2/registries', {
            name: 'mine',
            subscription_tier_slug: 'basic',
          })
        ).status,
      ).toBe(409);
      expect(
        (
          await call('POST', '/v2/registries/validate-name', {
            name: 'free-one',
          })
        ).status,
      ).toBe(204);
    });

    it('refuses a body that is not JSON with 400', async () => {
      const res = await fetch(`${emulator.url}/v2/registries`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer t',
          'content-type': 'application/json',
        },
        body: '{"name": ',
      });
      expect(res.status).toBe(400);
      expect((await res.json()).id).toBe('bad_request');
    });
  });

  describe('tier limits', () => {
    it('allows one registry below Professional and ten on it', async () => {
      await start();
      expect(
        (
          await call('POST', '/v2/registries', {
            name: 'r0',
            subscription_tier_slug: 'basic',
          })
        ).status,
      ).toBe(201);
      const second = await call('POST', '/v2/registries', { name: 'r1' });
      expect(second.status).toBe(412);
      expect(second.body).toMatchObject({
        id: 'precondition_failed',
        message:
          'registry is not eligible for tier because: [OverRegistryLimit]',
      });
      const mismatch = await call('POST', '/v2/registries', {
        name: 'r1',
        subscription_tier_slug: 'professional',
      });
      expect(mismatch.status).toBe(412);
      expect(mismatch.body.message).toContain('shared by all registries');
      const upgraded = await call('POST', '/v2/registries/subscription', {
        tier_slug: 'professional',
      });
      expect(upgraded.body.subscription.tier.slug).toBe('professional');
      for (let i = 1; i < 10; i++) {
        expect(
          (await call('POST', '/v2/registries', { name: `r${i}` })).status,
        ).toBe(201);
      }
      const eleventh = await call('POST', '/v2/registries', { name: 'r10' });
      expect(eleventh.status).toBe(412);
      expect(
        (await call('GET', '/v2/registries')).body.registries,
      ).toHaveLength(10);
      const downgrade = await call('POST', '/v2/registries/subscription', {
        tier_slug: 'basic',
      });
      expect(downgrade.status).toBe(412);
      expect(downgrade.body.message).toContain('OverRegistryLimit');
    });

    it('enforces the repository and storage limits of Starter', async () => {
      await start({
        seed: {
          account: { subscriptionTier: 'starter' },
          registries: [{ name: 'tiny' }],
        },
      });
      emulator.push('tiny', 'one', 'latest', [{ size: 1000 }]);
      expect(() =>
        emulator.push('tiny', 'two', 'latest', [{ size: 1000 }]),
      ).toThrow(/OverRepositoryLimit/);
      const push = await call('POST', '/_emulator/registries/tiny/push', {
        repository: 'one',
        tag: 'big',
        layers: [{ size: 600 * 1024 ** 2 }],
      });
      expect(push.status).toBe(412);
      expect(push.body.message).toContain('OverStorageLimit');
    });

    it('reports each tier’s eligibility and refuses a downgrade the account no longer fits', async () => {
      await start({
        seed: {
          account: { subscriptionTier: 'basic' },
          registries: [{ name: 'acme' }],
        },
      });
      emulator.push('acme', 'web', 'latest', [{ size: 10 }]);
      emulator.push('acme', 'api', 'latest', [{ size: 10 }]);
      const options = await call('GET', '/v2/registries/options');
      const tiers = Object.fromEntries(
        options.body.options.subscription_tiers.map((t: any) => [t.slug, t]),
      );
      expect(tiers.starter).toMatchObject({
        eligible: false,
        eligibility_reasons: ['OverRepositoryLimit'],
        included_storage_bytes: 524288000,
        monthly_price_in_cents: 0,
      });
      expect(tiers.basic).toMatchObject({
        eligible: true,
        included_repositories: 5,
        included_storage_bytes: 5368709120,
        monthly_price_in_cents: 500,
        storage_overage_price_in_cents: 2,
      });
      expect(tiers.professional).toMatchObject({
        eligible: true,
        included_repositories: 0,
        monthly_price_in_cents: 2000,
      });
      expect(options.body.options.available_regions).toContain('fra1');
      const downgrade = await call('POST', '/v2/registries/subscription', {
        tier_slug: 'starter',
      });
      expect(downgrade.status).toBe(412);
      expect(downgrade.body.message).toBe(
        'registry is not eligible for tier because: [OverRepositoryLimit]',
      );
    });
  });

  describe('DOKS integration', () => {
    const clusterId = '6c9e1c4e-2b1d-4a3e-9f0a-0d7c2d1b9a01';
    beforeEach(() =>
      start({
        seed: {
          account: { subscriptionTier: 'professional' },
          registries: [{ name: 'a' }, { name: 'b' }],
          clusters: [{ id: clusterId, name: 'prod' }],
        },
      }),
    );

    it('sets registry_enabled and registries on clusters, and removes them', async () => {
      expect(
        (await call('GET', `/v2/kubernetes/clusters/${clusterId}`)).body
          .kubernetes_cluster,
      ).toMatchObject({ registry_enabled: false, registries: [] });
      expect(
        (
          await call('POST', '/v2/kubernetes/registries', {
            cluster_uuids: [clusterId],
            registries: ['b', 'a'],
          })
        ).status,
      ).toBe(204);
      expect(
        (await call('GET', `/v2/kubernetes/clusters/${clusterId}`)).body
          .kubernetes_cluster,
      ).toMatchObject({ registry_enabled: true, registries: ['a', 'b'] });
      expect(
        (
          await call('DELETE', '/v2/kubernetes/registries', {
            cluster_uuids: [clusterId],
            registries: ['a'],
          })
        ).status,
      ).toBe(204);
      expect(
        (await call('GET', `/v2/kubernetes/clusters/${clusterId}`)).body
          .kubernetes_cluster.registries,
      ).toEqual(['b']);
      await call('DELETE', '/v2/registries/b');
      expect(
        (await call('GET', `/v2/kubernetes/clusters/${clusterId}`)).body
          .kubernetes_cluster,
      ).toMatchObject({ registry_enabled: false, registries: [] });
    });

    it('answers 404 for an unknown cluster or registry and 412 for the legacy call with several registries', async () => {
      expect(
        (
          await call('POST', '/v2/kubernetes/registries', {
            cluster_uuids: ['00000000-0000-4000-8000-000000000000'],
            registries: ['a'],
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await call('POST', '/v2/kubernetes/registries', {
            cluster_uuids: [clusterId],
            registries: ['nope'],
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await call('POST', '/v2/kubernetes/registry', {
            cluster_uuids: [clusterId],
          })
        ).status,
      ).toBe(412);
    });
  });

  describe('auth, rate limits, pagination and faults', () => {
    it('answers 401 in DigitalOcean’s shape without a valid bearer token', async () => {
      await start({ token: 'secret-token' });
      const none = await caller(emulator, '')('GET', '/v2/registries');
      expect(none.status).toBe(401);
      expect(none.body).toMatchObject({
        id: 'unauthorized',
        message: 'Unable to authenticate you.',
      });
      expect(
        (await caller(emulator, 'wrong')('GET', '/v2/registries')).status,
      ).toBe(401);
      expect(
        (await caller(emulator, 'secret-token')('GET', '/v2/registries'))
          .status,
      ).toBe(200);
    });

    it('sends ratelimit headers and a real 429 with retry-after past the budget', async () => {
      let now = 1_000_000_000_000;
      await start({
        clock: () => now,
        rateLimitPerMinute: 3,
        rateLimitPerHour: 100,
      });
      const first = await call('GET', '/v2/registries');
      expect(first.headers.get('ratelimit-limit')).toBe('100');
      expect(first.headers.get('ratelimit-remaining')).toBe('99');
      await call('GET', '/v2/registries');
      await call('GET', '/v2/registries');
      now += 20_000;
      const limited = await call('GET', '/v2/registries');
      expect(limited.status).toBe(429);
      expect(limited.body.id).toBe('too_many_requests');
      expect(limited.headers.get('retry-after')).toBe('40');
      expect(limited.headers.get('ratelimit-reset')).toBe(
        String(Math.ceil((1_000_000_000_000 + 60_000) / 1000)),
      );
      now += 40_000;
      expect((await call('GET', '/v2/registries')).status).toBe(200);
    });

    it('paginates with links and meta', async () => {
      await start({
        seed: {
          clusters: Array.from({ length: 45 }, (_, i) => ({
            name: `c${String(i).padStart(2, '0')}`,
          })),
        },
      });
      const first = await call('GET', '/v2/kubernetes/clusters?per_page=20');
      expect(first.body.kubernetes_clusters).toHaveLength(20);
      expect(first.body.meta.total).toBe(45);
      expect(first.body.links.pages.next).toContain('page=2');
      expect(first.body.links.pages.last).toContain('page=3');
      const last = await call(
        'GET',
        '/v2/kubernetes/clusters?per_page=20&page=3',
      );
      expect(last.body.kubernetes_clusters.map((c: any) => c.name)).toEqual([
        'c40',
        'c41',
        'c42',
        'c43',
        'c44',
      ]);
      expect(last.body.links.pages.prev).toContain('page=2');
      expect(last.body.links.pages.next).toBeUndefined();
      expect(
        (await call('GET', '/v2/kubernetes/clusters?per_page=201')).status,
      ).toBe(422);
    });

    it('injects errors, dropped connections and latency, and counts requests per operation', async () => {
      await start();
      emulator.faults.add({
        kind: 'error',
        status: 503,
        count: 1,
        operationId: 'registries_list',
      });
      emulator.faults.add({
        kind: 'drop',
        count: 1,
        operationId: 'registries_get_options',
      });
      expect((await call('GET', '/v2/registries')).status).toBe(503);
      expect((await call('GET', '/v2/registries')).status).toBe(200);
      await expect(call('GET', '/v2/registries/options')).rejects.toThrow();
      expect((await call('GET', '/v2/registries/options')).status).toBe(200);
      await call('POST', '/_emulator/faults', { latencyMs: 150 });
      const started = Date.now();
      await call('GET', '/v2/registries');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      const counts = (await call('GET', '/_emulator/requests')).body;
      expect(counts.byOperation).toEqual({
        registries_get_options: 2,
        registries_list: 3,
      });
      expect(emulator.requests.count('registries_list')).toBe(3);
      expect(emulator.requests.mutating()).toHaveLength(0);
    });
  });
});
