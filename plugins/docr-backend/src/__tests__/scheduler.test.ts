import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
  weeklySundayWindow,
} from '../__testUtils__/backend';

jest.setTimeout(60_000);

const seed: EmulatorSeed = {
  account: { subscriptionTier: 'professional' },
  registries: [
    {
      name: 'acme-dev',
      images: [
        {
          repository: 'web',
          tag: 'latest',
          sizeMiB: 30,
          baseLayerMiB: 20,
          pushes: 4,
        },
      ],
    },
    {
      name: 'acme-prod',
      images: [{ repository: 'api', tag: 'latest', sizeMiB: 10, pushes: 2 }],
    },
  ],
};

describe('GC task inside a real backend, with the emulator and a controlled clock', () => {
  let clock: TestClock;
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  async function start(
    gcStepMs: number,
    docrConfig: object = weeklySundayWindow(),
  ) {
    clock = new TestClock(Date.parse('2026-11-21T12:00:00Z')); // a Saturday
    emulator = await DoEmulator.start({
      seed,
      clock: clock.now,
      gcStepMs,
      validateResponses: true,
    });
    docr = await startDocrBackend({
      emulatorUrl: emulator.url,
      clock,
      docr: docrConfig,
    });
  }

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  const calls = () => emulator.requests.summary().byOperation;
  const runs = async (registry: string) =>
    (await docr.api('get', `/registries/${registry}/gc-runs`)).body.items;

  it('starts within one tick of the window opening, records DO’s figures, and calls DO for nothing else', async () => {
    await start(MINUTE);
    await docr.tick();
    // The storage sample: the listing, each registry's GC history (console-started GCs), and
    // the subscription (its tier's included storage, for the storage notifications).
    const sample = {
      registries_list: 1,
      registries_list_garbageCollections: 2,
      registries_get_subscription: 1,
    };
    expect(calls()).toEqual(sample);
    for (let i = 0; i < 6; i++) {
      clock.advance(9 * MINUTE);
      await docr.tick();
    }
    expect(calls()).toEqual(sample); // within the hour: nothing at all

    clock.set('2026-11-22T02:59:00Z');
    emulator.requests.reset();
    await docr.tick();
    expect(calls()).toEqual(sample); // hourly sample again, no window yet

    clock.set('2026-11-22T03:00:30Z');
    const before = emulator.account
      .getRegistry('acme-dev')
      .storage.storageBytes();
    await docr.tick();
    expect(emulator.requests.count('registries_run_garbageCollection')).toBe(2);
    expect(emulator.account.getRegistry('acme-dev').gcRuns[0].type).toBe(
      'untagged manifests and unreferenced blobs',
    );
    const [started] = await runs('acme-dev');
    expect(started).toMatchObject({
      trigger: 'window',
      status: 'requested',
      storageBefore: before,
    });

    clock.advance(4 * MINUTE);
    await docr.tick();
    const doRun = emulator.account.getRegistry('acme-dev').gcRuns[0];
    expect(doRun.status).toBe('succeeded');
    expect(doRun.freedBytes).toBeGreaterThan(0);
    const [finished] = await runs('acme-dev');
    expect(finished).toMatchObject({
      status: 'succeeded',
      doUuid: doRun.uuid,
      blobsDeleted: doRun.blobsDeleted,
      freedBytes: doRun.freedBytes,
      storageBefore: before,
      storageAfter: emulator.account
        .getRegistry('acme-dev')
        .storage.storageBytes(),
    });
    expect(finished.storageAfter).toBe(before - doRun.freedBytes);
    expect(finished.statuses[0]).toBe('starting');
    expect(finished.statuses.at(-1)).toBe('succeeded');

    // Later in the same window: this occurrence has its run, nothing is started again.
    emulator.requests.reset();
    clock.advance(10 * MINUTE);
    await docr.tick();
    expect(calls()).toEqual({});
    expect(await runs('acme-dev')).toHaveLength(1);
  });

  it('cancels a run still going at window end, so the registry is writable again', async () => {
    await start(25 * MINUTE); // four steps: 100 minutes, longer than the 1-hour window
    clock.set('2026-11-22T03:00:00Z');
    await docr.tick();
    clock.set('2026-11-22T03:40:00Z');
    await docr.tick();
    expect((await runs('acme-dev'))[0].status).toBe(
      'waiting for write JWTs to expire',
    );
    clock.set('2026-11-22T04:00:00Z');
    await docr.tick();
    const [cancelling] = await runs('acme-dev');
    expect(cancelling.status).toBe('cancelling');
    expect(cancelling.reason).toContain(
      'Cancelled at window end (2026-11-22T04:00:00.000Z)',
    );
    clock.set('2026-11-22T04:30:00Z');
    await docr.tick();
    const [cancelled] = await runs('acme-dev');
    expect(cancelled).toMatchObject({ status: 'cancelled', freedBytes: 0 });
    expect(cancelled.statuses).toEqual([
      'starting',
      'requested',
      'waiting for write JWTs to expire',
      'scanning manifests',
      'cancelling',
      'cancelled',
    ]);
    expect(() =>
      emulator.push('acme-dev', 'web', 'after', [{ size: 10 }]),
    ).not.toThrow();
  });

  it('skips a window when nothing changed since the last collection, and collects after a push', async () => {
    await start(MINUTE);
    clock.set('2026-11-22T03:00:00Z');
    await docr.tick();
    clock.advance(5 * MINUTE);
    await docr.tick();
    expect((await runs('acme-prod'))[0].status).toBe('succeeded');

    emulator.push('acme-dev', 'web', 'latest', [{ size: 1000 }]); // new bloat in acme-dev only
    clock.set('2026-11-29T03:00:00Z');
    emulator.requests.reset();
    await docr.tick();
    const [prodSkipped] = await runs('acme-prod');
    expect(prodSkipped.status).toBe('skipped');
    expect(prodSkipped.reason).toMatch(
      /^Nothing to collect: no image was pushed, tagged or deleted since the collection of/,
    );
    expect((await runs('acme-dev'))[0].status).toBe('requested');
    expect(emulator.requests.count('registries_run_garbageCollection')).toBe(1);
  });

  it('leaves a GC started from the console alone and shows it in the history', async () => {
    await start(10 * MINUTE);
    clock.set('2026-11-22T02:50:00Z');
    emulator.account.startGc('acme-dev', 'unreferenced blobs only');
    clock.set('2026-11-22T03:00:00Z');
    await docr.tick();
    const history = await runs('acme-dev');
    expect(history.map((r: any) => [r.trigger, r.status])).toEqual([
      ['window', 'skipped'],
      ['external', 'waiting for write JWTs to expire'],
    ]);
    expect(history[0].reason).toContain('started outside the portal');
    expect(emulator.requests.count('registries_run_garbageCollection')).toBe(1); // acme-prod only
    clock.set('2026-11-22T03:45:00Z');
    await docr.tick();
    expect((await runs('acme-dev'))[1]).toMatchObject({
      trigger: 'external',
      status: 'succeeded',
    });
  });

  it('opens once across the fall-back night in Berlin, in the window’s own zone', async () => {
    await start(MINUTE, weeklySundayWindow('Europe/Berlin', '02:30', 'PT30M'));
    // 2026-10-25: 02:30 happens twice in Berlin (CEST, then CET).
    clock.set('2026-10-24T22:00:00Z');
    for (let t = 0; t < 5 * 60; t += 10) {
      await docr.tick();
      clock.advance(10 * MINUTE);
    }
    const history = await runs('acme-dev');
    expect(history).toHaveLength(1);
    expect(history[0].createdAt).toBe('2026-10-25T00:30:00.000Z'); // the first 02:30, in CEST
  });
});
