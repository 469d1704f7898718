import { DoEmulator } from '../http/server';
import { caller } from './http';

const MIB = 1024 ** 2;
const LAG = 30_000;

describe('storage_usage_bytes lags behind pushes and collections, as on DigitalOcean', () => {
  let emulator: DoEmulator;
  let call: ReturnType<typeof caller>;
  let now: number;

  beforeEach(async () => {
    now = Date.parse('2026-11-29T10:00:00Z');
    emulator = await DoEmulator.start({
      validateResponses: true,
      clock: () => now,
      gcStepMs: 1000,
      storageLagMs: LAG,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [
          {
            name: 'acme',
            images: [
              { repository: 'web', tag: 'latest', sizeMiB: 10, pushes: 3 },
            ],
          },
        ],
      },
    });
    call = caller(emulator);
  });
  afterEach(() => emulator?.stop());

  const reported = async () => {
    const { registry } = (await call('GET', '/v2/registries/acme')).body;
    return {
      bytes: registry.storage_usage_bytes,
      at: registry.storage_usage_bytes_updated_at,
    };
  };
  const actual = () =>
    emulator.account.getRegistry('acme').storage.storageBytes();

  it('reports a seeded registry’s content at once', async () => {
    expect((await reported()).bytes).toBe(actual());
  });

  it('keeps reporting the old figure for the lag after a push, then the new one with its time', async () => {
    const before = await reported();
    emulator.push('acme', 'web', 'v2', [{ size: 5 * MIB }]);
    now += LAG - 1;
    expect(await reported()).toEqual(before);
    now += 1;
    expect(await reported()).toEqual({
      bytes: actual(),
      at: new Date(now).toISOString(),
    });
    expect((await reported()).bytes).toBeGreaterThan(before.bytes);
  });

  it('reports the freed bytes only the lag after a collection ends', async () => {
    const before = await reported();
    const started = await call(
      'POST',
      '/v2/registries/acme/garbage-collection',
      {
        type: 'untagged manifests and unreferenced blobs',
      },
    );
    expect(started.status).toBe(201);
    now += 10_000; // the collection has ended
    const { garbage_collection: gc } = (
      await call('GET', `/v2/registries/acme/garbage-collection`)
    ).body;
    expect(gc ?? {}).not.toMatchObject({ status: 'requested' });
    expect(actual()).toBeLessThan(before.bytes);
    expect((await reported()).bytes).toBe(before.bytes);
    now += LAG;
    expect((await reported()).bytes).toBe(actual());
  });
});
