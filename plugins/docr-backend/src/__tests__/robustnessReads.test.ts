import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { DocrTestBackend, MINUTE, TestClock } from '../__testUtils__/backend';
import {
  RobustnessStartOptions,
  startRobustnessBackend,
} from '../__testUtils__/robustnessBackend';

jest.setTimeout(90_000);

describe('GC task robustness (issue #10, findings 3, 5 and 8)', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  let clock: TestClock;
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  async function start(options: RobustnessStartOptions = {}) {
    const started = await startRobustnessBackend(databases, options);
    ({ clock, emulator, docr } = started);
    return started.knex;
  }

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  const runs = async (registry: string) =>
    (await docr.api('get', `/registries/${registry}/gc-runs`)).body.items;

  it('GETs never call DigitalOcean: 50 reads of known and unknown registries and their runs cost 0 requests', async () => {
    await start();
    emulator.requests.reset();
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
      const res = await docr.api('get', paths[i % paths.length]);
      expect(res.status).toBe(
        paths[i % paths.length] === '/registries/not-there' ? 404 : 200,
      );
    }
    expect(emulator.requests.count()).toBe(0);
  });

  it('a page opened before the first listing gets 503 and asks the GC task to list now, once, not DigitalOcean from the request', async () => {
    // Before: it answered 404 "not known" until the task's first tick, and the page stayed on it.
    await start({ skipFirstTick: true });
    const first = await docr.api('get', '/registries/acme-dev');
    expect(first.status).toBe(503);
    expect(first.body.error.message).toContain(
      "The account's registries have not been listed from DigitalOcean yet",
    );
    // The test scheduler runs a triggered task at once: the listing is there for the next read.
    const again = await docr.api('get', '/registries/acme-dev');
    expect(again.status).toBe(200);
    expect(emulator.requests.count('registries_list')).toBe(1);
    expect((await docr.api('get', '/registries/nope')).status).toBe(404);
  });

  it('the registry summary and the list show its newest sample (after a GC), not only the hourly listing, and the account’s total', async () => {
    await start();
    const storageOf = (name: string) =>
      emulator.account.getRegistry(name).storage.storageBytes();
    const started = await docr.api('post', '/registries/acme-dev/gc-runs', {});
    expect(started.status).toBe(201);
    clock.advance(5 * MINUTE);
    await docr.tick();
    const [run] = await runs('acme-dev');
    expect(run.status).toBe('succeeded');
    const { body } = await docr.api('get', '/registries/acme-dev');
    expect(body.storageBytes).toBe(run.storageAfter);
    expect(body.storageBytes).toBeLessThan(run.storageBefore);
    // The same figure in the list, and the account's total is the sum DigitalOcean bills.
    const list = await docr.api('get', '/registries');
    expect(
      list.body.items.find((r: any) => r.name === 'acme-dev').storageBytes,
    ).toBe(run.storageAfter);
    expect(body.account).toMatchObject({
      registryCount: 2,
      storageBytes: storageOf('acme-dev') + storageOf('acme-prod'),
    });
  });
});
