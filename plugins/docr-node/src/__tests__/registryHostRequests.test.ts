import {
  DoEmulator,
  ManualClock,
  registryPusher,
} from '@backstage-docr/do-emulator';
import { DigitalOceanClient } from '../DigitalOceanClient';
import { RegistryHostClient } from '../registryHost/RegistryHostClient';

jest.setTimeout(60_000);

const START = Date.parse('2026-11-22T03:00:00Z');

/**
 * What a registry host call costs and how long its token is held, against the emulator: the
 * requests a call's beforeRequest sees are those the emulator's two logs record.
 */
describe('RegistryHostClient: requests gated per call, tokens held within bounds', () => {
  let emulator: DoEmulator;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(START);
    emulator = await DoEmulator.start({
      clock: clock.now,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [{ name: 'acme' }],
      },
    });
    await registryPusher(emulator, 'acme', 'web').image('one', { tag: 'v1' });
    emulator.requests.reset();
    emulator.registryRequests.reset();
  });
  afterEach(() => emulator.stop());

  /** A client whose token realm answers `expires_in` as the test says; waits on the test's clock. */
  function client(expiresIn?: (given: unknown) => unknown) {
    const api = new DigitalOceanClient({ token: 'test', apiUrl: emulator.url });
    return new RegistryHostClient({
      credentials: api,
      registryUrl: emulator.registryUrl,
      clock,
      requestsPerSecond: 1e6,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        if (!expiresIn || new URL(String(input)).pathname !== '/v2/token')
          return res;
        const body = (await res.json()) as Record<string, unknown>;
        const answered = { ...body, expires_in: expiresIn(body.expires_in) };
        if (answered.expires_in === undefined) delete answered.expires_in;
        return new Response(JSON.stringify(answered), {
          status: res.status,
          headers: res.headers,
        });
      },
    });
  }

  const atEmulator = () =>
    emulator.requests.count() + emulator.registryRequests.count();

  it('awaits beforeRequest before every request a call makes, naming where it goes: ping, docker credentials, token and the call itself', async () => {
    const registry = client();
    let taken = 0;
    const targets: string[] = [];
    const beforeRequest = async (target: string) => {
      taken++;
      targets.push(target);
    };
    await clock.passTimeUntil(
      registry.getManifest('acme', 'web', 'v1', { beforeRequest }),
    );
    expect(taken).toBe(4);
    expect(atEmulator()).toBe(4);
    expect(emulator.requests.count('registries_get_dockerCredentials')).toBe(1);
    // Each says where it goes: the credentials are DigitalOcean's, the rest the registry host's.
    expect(targets).toEqual([
      'registryHost',
      'digitalocean',
      'registryHost',
      'registryHost',
    ]);
    await clock.passTimeUntil(
      registry.headManifest('acme', 'web', 'v1', { beforeRequest }),
    );
    expect(taken).toBe(5);
    // A 404 costs its request too.
    await expect(
      clock.passTimeUntil(
        registry.headManifest('acme', 'web', 'nope', { beforeRequest }),
      ),
    ).rejects.toMatchObject({ status: 404 });
    expect(taken).toBe(6);
    expect(atEmulator()).toBe(taken);
  });

  it('makes no request that beforeRequest refuses: the call fails with its error', async () => {
    const registry = client();
    let allowed = 2;
    const beforeRequest = async () => {
      if (allowed-- <= 0) throw new Error('no budget left');
    };
    await expect(
      clock.passTimeUntil(
        registry.getManifest('acme', 'web', 'v1', { beforeRequest }),
      ),
    ).rejects.toThrow('no budget left');
    // The ping and the docker credentials were made; the token was not asked for.
    expect(emulator.registryRequests.count()).toBe(1);
    expect(emulator.requests.count()).toBe(1);
    expect(emulator.registryRequests.count('token_get')).toBe(0);
  });

  it('a refusal fails its own call only, never another one waiting for the same credentials', async () => {
    const registry = client();
    let gates = 0;
    let release!: () => void;
    const released = new Promise<void>(resolve => (release = resolve));
    let blocked!: () => void;
    const isBlocked = new Promise<void>(resolve => (blocked = resolve));
    // Lets the ping through, then holds the docker credentials' request and refuses it.
    const refusing = async () => {
      if (++gates === 1) return;
      blocked();
      await released;
      throw new Error('no budget left');
    };
    const refused = clock.passTimeUntil(
      registry.getManifest('acme', 'web', 'v1', { beforeRequest: refusing }),
    );
    await isBlocked;
    const other = clock.passTimeUntil(
      registry.getManifest('acme', 'web', 'v1'),
    );
    release();
    await expect(refused).rejects.toThrow('no budget left');
    expect((await other).digest).toMatch(/^sha256:/);
  });

  it.each([
    ['an expires_in of years', () => 1e12, 300],
    ['an expires_in that is no number', () => 'forever', 60],
    ['no expires_in', () => undefined, 60],
    ['a negative expires_in', () => -1, 60],
  ])(
    'holds a token at most as long as its bounds allow, given %s',
    async (_, expiresIn, heldSeconds) => {
      const registry = client(expiresIn);
      const read = () =>
        clock.passTimeUntil(registry.headManifest('acme', 'web', 'v1'));
      await read();
      expect(registry.callCounts().byKind.token).toBe(1);
      clock.advance((heldSeconds - 31) * 1000);
      await read();
      expect(registry.callCounts().byKind.token).toBe(1);
      clock.advance(31_000);
      await read();
      expect(registry.callCounts().byKind.token).toBe(2);
      expect(emulator.registryRequests.count('token_get')).toBe(2);
    },
  );
});
