import {
  MINUTE,
  waitUntil,
  weeklySundayWindow,
} from '../__testUtils__/backend';
import { robustnessHarness } from '../__testUtils__/robustnessBackend';

jest.setTimeout(90_000);

describe('GC task robustness: DigitalOcean faults, aborts and clock skew', () => {
  const h = robustnessHarness();
  const { start, runs, starts } = h;

  it('a transient DigitalOcean error before the start does not use up the window: retried next tick, started once', async () => {
    await start({ gcStepMs: 30 * MINUTE });
    h.clock.set('2026-11-22T03:00:00Z');
    h.emulator.faults.add({
      kind: 'error',
      status: 503,
      count: 2, // the call and its one retry
      operationId: 'registries_get_garbageCollection',
    });
    await h.docr.tick();
    expect(starts()).toBe(1); // acme-prod
    expect((await runs('acme-dev'))[0].status).toBe('waiting to retry');
    for (let i = 0; i < 3; i++) {
      h.clock.advance(MINUTE);
      await h.docr.tick();
    }
    expect(starts()).toBe(2);
    expect(h.emulator.account.getRegistry('acme-dev').gcRuns).toHaveLength(1);
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
    // A request timeout far beyond the test's own: only the abort can end the hung call.
    await start({ digitalocean: { requestTimeout: { hours: 1 } } });
    h.clock.set('2026-11-22T03:00:00Z');
    h.emulator.requests.reset();
    h.emulator.faults.add({
      kind: 'hang',
      count: 1,
      operationId: 'registries_list_garbageCollections',
    });
    const controller = new AbortController();
    const tick = h.docr.tick(controller.signal);
    await waitUntil(
      () => h.emulator.requests.count('registries_list_garbageCollections') > 0,
    );
    controller.abort();
    await tick;
    expect(starts()).toBe(0);
    // The sample's import hung on the first registry; nothing after it was asked.
    expect(
      h.emulator.requests.count('registries_list_garbageCollections'),
    ).toBe(1);
    expect(h.emulator.requests.count('registries_get_garbageCollection')).toBe(
      0,
    );
  });

  it('a DigitalOcean clock 2 minutes behind ours: a start whose answer was lost is adopted, not failed, and cancelled at window end', async () => {
    await start({
      gcStepMs: 30 * MINUTE,
      emulatorSkewMs: 2 * MINUTE,
      docr: weeklySundayWindow('UTC', '03:00', 'PT1H'),
    });
    h.clock.set('2026-11-22T03:00:00Z');
    h.emulator.faults.add({
      kind: 'drop-response',
      count: 1,
      operationId: 'registries_run_garbageCollection',
    });
    await h.docr.tick();
    const doRun = h.emulator.account.getRegistry('acme-dev').gcRuns[0];
    h.clock.advance(6 * MINUTE); // past the grace for an unanswered start
    await h.docr.tick();
    expect((await runs('acme-dev'))[0]).toMatchObject({
      doUuid: doRun.uuid,
      status: 'requested',
    });
    h.clock.set('2026-11-22T04:00:00Z');
    await h.docr.tick();
    const [cancelling] = await runs('acme-dev');
    expect(cancelling.status).toBe('cancelling');
    expect(cancelling.reason).toContain('Cancelled at window end');
    h.clock.advance(35 * MINUTE);
    await h.docr.tick();
    expect((await runs('acme-dev'))[0].status).toBe('cancelled');
    expect(h.emulator.account.getRegistry('acme-dev').gcRuns).toHaveLength(1);
  });
});
