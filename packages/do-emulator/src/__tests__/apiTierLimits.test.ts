import { emulatorHarness } from './http';

describe('emulator API behaviour', () => {
  const h = emulatorHarness();
  const { start } = h;

  describe('tier limits', () => {
    it('allows one registry below Professional and ten on it', async () => {
      await start();
      expect(
        (
          await h.call('POST', '/v2/registries', {
            name: 'r0',
            subscription_tier_slug: 'basic',
          })
        ).status,
      ).toBe(201);
      const second = await h.call('POST', '/v2/registries', { name: 'r1' });
      expect(second.status).toBe(412);
      expect(second.body).toMatchObject({
        id: 'precondition_failed',
        message:
          'registry is not eligible for tier because: [OverRegistryLimit]',
      });
      const mismatch = await h.call('POST', '/v2/registries', {
        name: 'r1',
        subscription_tier_slug: 'professional',
      });
      expect(mismatch.status).toBe(412);
      expect(mismatch.body.message).toContain('shared by all registries');
      const upgraded = await h.call('POST', '/v2/registries/subscription', {
        tier_slug: 'professional',
      });
      expect(upgraded.body.subscription.tier.slug).toBe('professional');
      for (let i = 1; i < 10; i++) {
        expect(
          (await h.call('POST', '/v2/registries', { name: `r${i}` })).status,
        ).toBe(201);
      }
      const eleventh = await h.call('POST', '/v2/registries', { name: 'r10' });
      expect(eleventh.status).toBe(412);
      expect(
        (await h.call('GET', '/v2/registries')).body.registries,
      ).toHaveLength(10);
      const downgrade = await h.call('POST', '/v2/registries/subscription', {
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
      h.emulator.push('tiny', 'one', 'latest', [{ size: 1000 }]);
      expect(() =>
        h.emulator.push('tiny', 'two', 'latest', [{ size: 1000 }]),
      ).toThrow(/OverRepositoryLimit/);
      const push = await h.call('POST', '/_emulator/registries/tiny/push', {
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
      h.emulator.push('acme', 'web', 'latest', [{ size: 10 }]);
      h.emulator.push('acme', 'api', 'latest', [{ size: 10 }]);
      const options = await h.call('GET', '/v2/registries/options');
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
      const downgrade = await h.call('POST', '/v2/registries/subscription', {
        tier_slug: 'starter',
      });
      expect(downgrade.status).toBe(412);
      expect(downgrade.body.message).toBe(
        'registry is not eligible for tier because: [OverRepositoryLimit]',
      );
    });
  });
});
