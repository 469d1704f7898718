import { emulatorHarness } from './http';

describe('emulator API behaviour', () => {
  const h = emulatorHarness();
  const { start } = h;

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
        const res = await h.call('POST', '/v2/registries', {
          name,
          subscription_tier_slug: 'basic',
          region: 'fra1',
        });
        expect(res.status).toBe(422);
        expect(res.body.id).toBe('unprocessable_entity');
        expect(res.body.message).toContain('/requestBody/name');
        expect(res.body.request_id).toEqual(expect.any(String));
        expect(h.emulator.account.registries.size).toBe(0);
      },
    );

    it('refuses an unknown tier and an unknown region', async () => {
      const tier = await h.call('POST', '/v2/registries', {
        name: 'ok',
        subscription_tier_slug: 'enterprise',
      });
      expect(tier.status).toBe(422);
      expect(tier.body.message).toContain('subscription_tier_slug');
      const region = await h.call('POST', '/v2/registries', {
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
          await h.call('POST', '/v2/registries/validate-name', {
            name: 'taken-elsewhere',
          })
        ).status,
      ).toBe(409);
      const elsewhere = await h.call('POST', '/v2/registries', {
        name: 'taken-elsewhere',
        subscription_tier_slug: 'basic',
      });
      expect(elsewhere.status).toBe(409);
      expect(elsewhere.body.message).toContain('already taken');
      expect(
        (
          await h.call('POST', '/v2/registries', {
            name: 'mine',
            subscription_tier_slug: 'basic',
          })
        ).status,
      ).toBe(201);
      expect(
        (await h.call('POST', '/v2/registries/validate-name', { name: 'mine' }))
          .status,
      ).toBe(409);
      expect(
        (
          await h.call('POST', '/v2/registries', {
            name: 'mine',
            subscription_tier_slug: 'basic',
          })
        ).status,
      ).toBe(409);
      expect(
        (
          await h.call('POST', '/v2/registries/validate-name', {
            name: 'free-one',
          })
        ).status,
      ).toBe(204);
    });

    it('refuses a body that is not JSON with 400', async () => {
      const res = await fetch(`${h.emulator.url}/v2/registries`, {
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
});
