import { DoEmulator } from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';

const LAG = 3 * MINUTE;

describe('storage after a GC, when DigitalOcean updates it late (as it does: asynchronously)', () => {
  let clock: TestClock;
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  beforeEach(async () => {
    clock = new TestClock(Date.parse('2026-11-21T12:00:00Z'));
    emulator = await DoEmulator.start({
      clock: () => clock.ms,
      gcStepMs: MINUTE,
      storageLagMs: LAG,
      validateResponses: true,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [
          {
            name: 'acme-dev',
            images: [
              { repository: 'web', tag: 'latest', sizeMiB: 20, pushes: 3 },
            ],
          },
        ],
      },
    });
    docr = await startDocrBackend({ emulatorUrl: emulator.url, clock });
    await docr.tick(); // the first listing
  });

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  const lastRun = async () =>
    (await docr.api('get', '/registries/acme-dev/gc-runs')).body.items[0];
  const pageStorage = async () =>
    (await docr.api('get', '/registries/acme-dev')).body.storageBytes;
  const reportedByDigitalOcean = async () =>
    (
      await fetch(`${emulator.url}/v2/registries/acme-dev`, {
        headers: { authorization: 'Bearer test' },
      }).then(r => r.json())
    ).registry.storage_usage_bytes;

  it('records the figure DigitalOcean reports once it has updated it, not the stale one at the end', async () => {
    const before = await pageStorage();
    expect(
      (await docr.api('post', '/registries/acme-dev/gc-runs', {})).status,
    ).toBe(201);
    clock.advance(5 * MINUTE); // the collection has ended; DigitalOcean still reports `before`
    await docr.tick();
    const ended = await lastRun();
    expect(ended.status).toBe('succeeded');
    expect(ended.storageAfter).toBeNull();
    expect(await reportedByDigitalOcean()).toBe(before);
    expect(await pageStorage()).toBe(before);

    clock.advance(LAG); // DigitalOcean has updated the figure
    await docr.tick();
    const after = await reportedByDigitalOcean();
    expect(after).toBeLessThan(before);
    expect((await lastRun()).storageAfter).toBe(after);
    expect(await pageStorage()).toBe(after);
  });

  it('stops asking an hour after the collection (the hourly listing has the figure by then)', async () => {
    await docr.api('post', '/registries/acme-dev/gc-runs', {});
    clock.advance(5 * MINUTE);
    await docr.tick();
    clock.advance(61 * MINUTE);
    emulator.requests.reset();
    await docr.tick();
    expect(emulator.requests.count('registries_get')).toBe(0);
  });
});
