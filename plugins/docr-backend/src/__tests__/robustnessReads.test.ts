import { MINUTE } from '../__testUtils__/backend';
import { robustnessHarness } from '../__testUtils__/robustnessBackend';

jest.setTimeout(90_000);

describe('GC task robustness: reads that never call DigitalOcean', () => {
  const h = robustnessHarness();
  const { start, runs } = h;

  it('GETs never call DigitalOcean: 50 reads of known and unknown registries and their runs cost 0 requests', async () => {
    await start();
    h.emulator.requests.reset();
    const paths = [
      '/registries',
      '/registries/acme-dev',
      '/registries/not-there',
      '/registries/acme-dev/gc-runs',
      '/registries/not-there/gc-runs',
      '/registries/acme-dev/policy',
      '/registries/acme-dev/storage',
    ];
    for (let i = 0; i < 50; i++) {
      const res = await h.docr.api('get', paths[i % paths.length]);
      expect(res.status).toBe(
        paths[i % paths.length] === '/registries/not-there' ? 404 : 200,
      );
    }
    expect(h.emulator.requests.count()).toBe(0);
  });

  it('a page opened before the first listing gets 503 and asks the GC task to list now, once, not DigitalOcean from the request', async () => {
    // Before: it answered 404 "not known" until the task's first tick, and the page stayed on it.
    await start({ skipFirstTick: true });
    const first = await h.docr.api('get', '/registries/acme-dev');
    expect(first.status).toBe(503);
    expect(first.body.error.message).toContain(
      "The account's registries have not been listed from DigitalOcean yet",
    );
    // The test scheduler runs a triggered task at once: the listing is there for the next read.
    const again = await h.docr.api('get', '/registries/acme-dev');
    expect(again.status).toBe(200);
    expect(h.emulator.requests.count('registries_list')).toBe(1);
    expect((await h.docr.api('get', '/registries/nope')).status).toBe(404);
  });

  it('the registry summary and the list show its newest sample (after a GC), not only the hourly listing, and the account’s total', async () => {
    await start();
    const storageOf = (name: string) =>
      h.emulator.account.getRegistry(name).storage.storageBytes();
    const started = await h.docr.api(
      'post',
      '/registries/acme-dev/gc-runs',
      {},
    );
    expect(started.status).toBe(201);
    h.clock.advance(5 * MINUTE);
    await h.docr.tick();
    const [run] = await runs('acme-dev');
    expect(run.status).toBe('succeeded');
    const { body } = await h.docr.api('get', '/registries/acme-dev');
    expect(body.storageBytes).toBe(run.storageAfter);
    expect(body.storageBytes).toBeLessThan(run.storageBefore);
    // The same figure in the list, and the account's total is the sum DigitalOcean bills.
    const list = await h.docr.api('get', '/registries');
    expect(
      list.body.items.find((r: any) => r.name === 'acme-dev').storageBytes,
    ).toBe(run.storageAfter);
    expect(body.account).toMatchObject({
      registryCount: 2,
      storageBytes: storageOf('acme-dev') + storageOf('acme-prod'),
    });
  });
});
