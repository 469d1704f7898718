import { DoEmulator } from '@backstage-docr/do-emulator';
import { DocrTestBackend, MINUTE, TestClock } from '../__testUtils__/backend';
import { startApiBackend } from '../__testUtils__/apiBackend';

jest.setTimeout(60_000);

describe('docr REST API', () => {
  let clock: TestClock;
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  /** Allows the named permissions (all when none are named). */
  async function start(allowed?: string[]) {
    ({ clock, emulator, docr } = await startApiBackend(allowed));
  }

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
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
