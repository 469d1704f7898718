import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
  weeklySundayWindow,
} from '../__testUtils__/backend';

jest.setTimeout(90_000);

const seed: EmulatorSeed = {
  account: { subscriptionTier: 'professional' },
  registries: [
    {
      name: 'acme-dev',
      images: [{ repository: 'web', tag: 'latest', sizeMiB: 20, pushes: 3 }],
    },
    {
      name: 'acme-prod',
      images: [{ repository: 'api', tag: 'latest', sizeMiB: 10, pushes: 2 }],
    },
  ],
};

const sundayWindow = {
  windows: [
    { days: ['sun'], start: '03:00', duration: 'PT2H', timezone: 'UTC' },
  ],
};

describe('GC task robustness (issue #10, findings 3, 5 and 8)', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  let clock: TestClock;
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  async function start(
    options: {
      gcStepMs?: number;
      docr?: object;
      digitalocean?: object;
      databaseId?: Parameters<typeof databases.init>[0];
      emulatorSkewMs?: number;
      skipFirstTick?: boolean;
    } = {},
  ) {
    clock = new TestClock(Date.parse('2026-11-21T12:00:00Z')); // a Saturday
    emulator = await DoEmulator.start({
      seed,
      clock: () => clock.ms - (options.emulatorSkewMs ?? 0),
      gcStepMs: options.gcStepMs ?? MINUTE,
      validateResponses: true,
    });
    const knex = await databases.init(options.databaseId ?? 'SQLITE_3');
    docr = await startDocrBackend({
      emulatorUrl: emulator.url,
      clock,
      knex,
      docr: options.docr ?? weeklySundayWindow('UTC', '03:00', 'PT2H'),
      digitalocean: options.digitalocean,
    });
    if (!options.skipFirstTick) await docr.tick(); // the first storage sample
    return knex;
  }

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  const runs = async (registry: string) =>
    (await docr.api('get', `/registries/${registry}/gc-runs`)).body.items;
  const starts = () =>
    emulator.requests.count('registries_run_garbageCollection');
  async function callsOfOneTick() {
    const before = emulator.requests.count();
    await docr.tick();
    return emulator.requests.count() - before;
  }

  it.each(databases.eachSupportedId())(
    'a registry deleted behind our back: its run is closed, its policy kept but orphaned and skipped, DO calls per tick back to the baseline, un-orphaned when it comes back, %p',
    async databaseId => {
      await start({
        databaseId,
        docr: {
          garbageCollection: {
            default: sundayWindow,
            storageSampleInterval: { hours: 24 },
          },
        },
      });
      for (const name of ['acme-dev', 'acme-prod']) {
        expect(
          (await docr.api('put', `/registries/${name}/policy`, sundayWindow))
            .status,
        ).toBe(200);
      }
      // No window, nothing in flight, no sample due: the baseline is no call at all.
      clock.advance(10 * MINUTE);
      expect(await callsOfOneTick()).toBe(0);

      // Deleted while the listing still has it: found by DigitalOcean's 404 at window start.
      emulator.account.deleteRegistry('acme-dev');
      clock.set('2026-11-22T03:00:00Z');
      await docr.tick();
      const [closed] = await runs('acme-dev');
      expect(closed).toMatchObject({ trigger: 'window', status: 'failed' });
      expect(closed.reason).toContain(
        'Registry no longer exists in DigitalOcean',
      );
      const policy = await docr.api('get', '/registries/acme-dev/policy');
      expect(policy.body).toMatchObject({
        source: 'api',
        orphaned: { since: '2026-11-22T03:00:00.000Z' },
      });
      expect(policy.body.orphaned.reason).toContain('404');
      const summary = await docr.api('get', '/registries/acme-dev');
      expect(summary.body.orphaned).toMatchObject({
        since: '2026-11-22T03:00:00.000Z',
      });
      expect(summary.body.nextWindow).toBeNull();

      // acme-prod's GC runs to its end; then no run is in flight and ticks cost nothing again.
      clock.advance(5 * MINUTE);
      await docr.tick();
      expect((await runs('acme-prod'))[0].status).toBe('succeeded');
      for (let i = 0; i < 5; i++) {
        clock.advance(MINUTE);
        expect(await callsOfOneTick()).toBe(0);
      }

      // Deleted after the listing: found missing by the next full listing.
      emulator.account.deleteRegistry('acme-prod');
      clock.set('2026-11-28T12:00:00Z');
      await docr.tick(); // the daily sample
      expect(
        (await docr.api('get', '/registries/acme-prod/policy')).body.orphaned
          .reason,
      ).toContain("not in DigitalOcean's list of registries");

      // The next window: both orphaned, skipped without a call or a run.
      clock.set('2026-11-29T03:00:00Z');
      expect(await callsOfOneTick()).toBe(0);
      expect(await runs('acme-dev')).toHaveLength(1);
      expect(await runs('acme-prod')).toHaveLength(1);

      // acme-dev comes back: the next listing adopts it again, and its window runs.
      emulator.account.createRegistry({ name: 'acme-dev' });
      clock.set('2026-11-30T03:00:00Z');
      await docr.tick();
      const back = await docr.api('get', '/registries/acme-dev/policy');
      expect(back.body.orphaned).toBeUndefined();
      expect(
        (await docr.api('get', '/registries/acme-prod/policy')).body.orphaned,
      ).toBeDefined();
    },
  );

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

  it('a stored policy that fails validation is reported for its registry, and the others still run', async () => {
    const knex = await start();
    await knex('docr_gc_policies').insert({
      registry_name: 'acme-dev',
      policy_json: JSON.stringify({ enabled: true, windows: 'sundays' }),
      updated_by: 'user:default/someone',
      updated_at: new Date(clock.ms),
    });
    clock.set('2026-11-22T03:00:00Z');
    await docr.tick();
    expect((await runs('acme-prod'))[0]).toMatchObject({
      trigger: 'window',
      status: 'requested',
    });
    expect(await runs('acme-dev')).toEqual([]);
    const policy = await docr.api('get', '/registries/acme-dev/policy');
    expect(policy.body.problem).toContain('windows');
  });

  it('refuses a policy with more than 28 windows, naming the field', async () => {
    await start();
    const window = sundayWindow.windows[0];
    const res = await docr.api('put', '/registries/acme-dev/policy', {
      windows: Array.from({ length: 29 }, () => window),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'windows: At most 28 windows per policy',
    );
    const ok = await docr.api('put', '/registries/acme-dev/policy', {
      windows: Array.from({ length: 28 }, () => window),
    });
    expect(ok.status).toBe(200);
  });

  it('a transient DigitalOcean error before the start does not use up the window: retried next tick, started once', async () => {
    await start({ gcStepMs: 30 * MINUTE });
    clock.set('2026-11-22T03:00:00Z');
    emulator.faults.add({
      kind: 'error',
      status: 503,
      count: 2, // the call and its one retry
      operationId: 'registries_get_garbageCollection',
    });
    await docr.tick();
    expect(starts()).toBe(1); // acme-prod
    expect((await runs('acme-dev'))[0].status).toBe('waiting to retry');
    for (let i = 0; i < 3; i++) {
      clock.advance(MINUTE);
      await docr.tick();
    }
    expect(starts()).toBe(2);
    expect(emulator.account.getRegistry('acme-dev').gcRuns).toHaveLength(1);
    const history = await runs('acme-dev');
    expect(history).toHaveLength(1);
    expect(history[0].statuses.slice(0, 4)).toEqual([
      'starting',
      'waiting to retry',
      'starting',
      'requested',
    ]);
  });

  it('an aborted tick stops between registries and aborts the call in progress', async () => {
    await start({ digitalocean: { requestTimeout: { seconds: 5 } } });
    clock.set('2026-11-22T03:00:00Z');
    emulator.requests.reset();
    emulator.faults.add({
      kind: 'hang',
      count: 1,
      operationId: 'registries_list_garbageCollections',
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const began = Date.now();
    await docr.tick(controller.signal);
    expect(Date.now() - began).toBeLessThan(3000);
    expect(starts()).toBe(0);
    // The sample's import hung on the first registry; nothing after it was asked.
    expect(emulator.requests.count('registries_list_garbageCollections')).toBe(
      1,
    );
    expect(emulator.requests.count('registries_get_garbageCollection')).toBe(0);
  });

  it('a DigitalOcean clock 2 minutes behind ours: a start whose answer was lost is adopted, not failed, and cancelled at window end', async () => {
    await start({
      gcStepMs: 30 * MINUTE,
      emulatorSkewMs: 2 * MINUTE,
      docr: weeklySundayWindow('UTC', '03:00', 'PT1H'),
    });
    clock.set('2026-11-22T03:00:00Z');
    emulator.faults.add({
      kind: 'drop-response',
      count: 1,
      operationId: 'registries_run_garbageCollection',
    });
    await docr.tick();
    const doRun = emulator.account.getRegistry('acme-dev').gcRuns[0];
    clock.advance(6 * MINUTE); // past the grace for an unanswered start
    await docr.tick();
    expect((await runs('acme-dev'))[0]).toMatchObject({
      doUuid: doRun.uuid,
      status: 'requested',
    });
    clock.set('2026-11-22T04:00:00Z');
    await docr.tick();
    const [cancelling] = await runs('acme-dev');
    expect(cancelling.status).toBe('cancelling');
    expect(cancelling.reason).toContain('Cancelled at window end');
    clock.advance(35 * MINUTE);
    await docr.tick();
    expect((await runs('acme-dev'))[0].status).toBe('cancelled');
    expect(emulator.account.getRegistry('acme-dev').gcRuns).toHaveLength(1);
  });

  it('does not start a GC with less than minimumRemainingWindow left, and says why', async () => {
    await start({ docr: weeklySundayWindow('UTC', '03:00', 'PT1H') });
    clock.set('2026-11-22T03:50:00Z');
    await docr.tick();
    expect(starts()).toBe(0);
    const [skipped] = await runs('acme-dev');
    expect(skipped.status).toBe('skipped');
    expect(skipped.reason).toContain(
      'less than docr.garbageCollection.minimumRemainingWindow (15 min)',
    );
  });

  it('imports a collection started elsewhere once, and not one older than the run retention (it would be pruned and imported again every hour)', async () => {
    const knex = await start({
      docr: {
        garbageCollection: {
          ...weeklySundayWindow().garbageCollection,
          retention: { runs: 'P30D' },
        },
      },
      skipFirstTick: true,
    });
    const startElsewhere = (at: string) => {
      clock.set(at);
      emulator.account.startGc('acme-dev', 'untagged manifests only');
      clock.advance(10 * MINUTE); // it ends on DigitalOcean
    };
    let runInserts = 0;
    knex.on('query', (q: { sql: string }) => {
      if (/^insert into .docr_gc_runs./i.test(q.sql)) runInserts++;
    });
    startElsewhere('2026-10-01T12:00:00Z'); // 51 days before the listing
    startElsewhere('2026-11-20T12:00:00Z'); // the day before
    clock.set('2026-11-21T12:00:00Z');
    for (let hour = 0; hour < 3; hour++) {
      await docr.tick();
      clock.advance(60 * MINUTE);
    }
    const history = await runs('acme-dev');
    expect(history.map((r: any) => [r.trigger, r.createdAt])).toEqual([
      ['external', '2026-11-20T12:00:00.000Z'],
    ]);
    // One row ever written: the old collection was not inserted (and pruned) hour after hour.
    expect(runInserts).toBe(1);
  });
});
