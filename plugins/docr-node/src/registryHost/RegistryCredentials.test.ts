import { RegistryCredentials } from './RegistryCredentials';
import { ManualClock } from '@backstage-docr/do-emulator';

describe('RegistryCredentials', () => {
  function source() {
    const asked: Array<{ registry: string; options: unknown }> = [];
    let issued = 0;
    return {
      asked,
      getDockerCredentials: async (registry: string, options?: unknown) => {
        asked.push({ registry, options });
        issued++;
        const auth = Buffer.from(`user${issued}:secret${issued}`).toString(
          'base64',
        );
        return { auths: { 'registry.digitalocean.com': { auth } } };
      },
    };
  }

  it('asks for read-only credentials with a short life, once while they last', async () => {
    const clock = new ManualClock();
    const credentials = source();
    const held = new RegistryCredentials({
      source: credentials,
      lifetimeSeconds: 300,
      now: clock.now,
    });
    const [first, second] = await Promise.all([
      held.basicAuthorization('acme'),
      held.basicAuthorization('acme'),
    ]);
    expect(first).toBe(second);
    expect(first).toBe(
      `Basic ${Buffer.from('user1:secret1').toString('base64')}`,
    );
    expect(credentials.asked).toEqual([
      { registry: 'acme', options: { readWrite: false, expirySeconds: 300 } },
    ]);
  });

  it('renews them before they expire', async () => {
    const clock = new ManualClock();
    const credentials = source();
    const held = new RegistryCredentials({
      source: credentials,
      lifetimeSeconds: 300,
      now: clock.now,
    });
    const first = await held.basicAuthorization('acme');
    clock.advance(239_000);
    expect(await held.basicAuthorization('acme')).toBe(first);
    clock.advance(2_000);
    expect(await held.basicAuthorization('acme')).not.toBe(first);
    expect(credentials.asked).toHaveLength(2);
  });

  it('keeps credentials per registry and asks again after forget', async () => {
    const clock = new ManualClock();
    const credentials = source();
    const held = new RegistryCredentials({
      source: credentials,
      lifetimeSeconds: 300,
      now: clock.now,
    });
    await held.basicAuthorization('acme');
    await held.basicAuthorization('beta');
    held.forget('acme');
    await held.basicAuthorization('acme');
    expect(credentials.asked.map(a => a.registry)).toEqual([
      'acme',
      'beta',
      'acme',
    ]);
  });
});
