import { MINUTE } from '../__testUtils__/backend';
import { apiHarness } from '../__testUtils__/apiBackend';

jest.setTimeout(60_000);

describe('docr REST API', () => {
  const h = apiHarness();

  it('lists registries with policy, its source and the next window', async () => {
    await h.start();
    const { body } = await h.docr.api('get', '/registries');
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
      h.emulator.account.getRegistry('acme-prod').storage.storageBytes(),
    );
    expect(body.items[0]).toMatchObject({
      activeRun: null,
      lastRun: null,
      openWindow: null,
    });
    expect((await h.docr.api('get', '/registries/nope')).status).toBe(404);
    expect((await h.docr.api('get', '/registries/Bad_Name')).status).toBe(400);
  });

  it('counts a registry created through the portal in the account and the list at once, not after the next listing', async () => {
    await h.start();
    const before = (await h.docr.api('get', '/registries/acme-dev')).body
      .account;
    h.clock.advance(MINUTE);
    h.emulator.account.createRegistry({ name: 'acme-new', region: 'fra1' });
    h.emulator.push('acme-new', 'web', 'v1', [{ size: 4096 }]);
    const put = await h.docr.api('put', '/registries/acme-new/policy', {
      windows: [],
    });
    expect(put.status).toBe(200);
    const { account } = (await h.docr.api('get', '/registries/acme-dev')).body;
    const storageOf = (name: string) =>
      h.emulator.account.getRegistry(name).storage.storageBytes();
    expect(account.registryCount).toBe(before.registryCount + 1);
    expect(account.storageBytes).toBe(
      before.storageBytes + storageOf('acme-new'),
    );
    const list = await h.docr.api('get', '/registries');
    expect(list.body.items.map((r: any) => r.name)).toContain('acme-new');
  });

  it('serves storage history and shows GCs started from the console', async () => {
    await h.start();
    const gc = h.emulator.account.startGc(
      'acme-dev',
      'untagged manifests and unreferenced blobs',
    );
    h.clock.advance(5 * MINUTE);
    expect(
      (await h.docr.api('get', '/registries/acme-dev/gc-runs')).body.items,
    ).toEqual([]); // reading never calls DigitalOcean: the GC task imports it
    h.clock.advance(61 * MINUTE);
    await h.docr.tick(); // the hourly sample imports GCs started elsewhere
    const runs = await h.docr.api('get', '/registries/acme-dev/gc-runs');
    expect(runs.body.items[0]).toMatchObject({
      trigger: 'external',
      doUuid: gc.uuid,
      status: 'succeeded',
    });
    expect(runs.body.items[0].freedBytes).toBe(gc.freedBytes);
    const storage = await h.docr.api(
      'get',
      '/registries/acme-dev/storage?days=7',
    );
    expect(storage.body.items.map((s: any) => s.storageBytes)).toEqual([
      expect.any(Number),
      h.emulator.account.getRegistry('acme-dev').storage.storageBytes(),
    ]);
    expect(storage.body.items[0].storageBytes).toBeGreaterThan(
      storage.body.items[1].storageBytes,
    );
    expect(
      (await h.docr.api('get', '/registries/acme-dev/storage?days=0')).status,
    ).toBe(400);
  });
});
