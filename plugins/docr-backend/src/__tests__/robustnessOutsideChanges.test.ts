import { MINUTE, weeklySundayWindow } from '../__testUtils__/backend';
import { robustnessHarness } from '../__testUtils__/robustnessBackend';

jest.setTimeout(90_000);

describe('GC task robustness: registries and collections changed outside the portal', () => {
  const h = robustnessHarness();
  const { start, runs } = h;

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
      h.clock.set(at);
      h.emulator.account.startGc('acme-dev', 'untagged manifests only');
      h.clock.advance(10 * MINUTE); // it ends on DigitalOcean
    };
    let runInserts = 0;
    knex.on('query', (q: { sql: string }) => {
      if (/^insert into .docr_gc_runs./i.test(q.sql)) runInserts++;
    });
    startElsewhere('2026-10-01T12:00:00Z'); // 51 days before the listing
    startElsewhere('2026-11-20T12:00:00Z'); // the day before
    h.clock.set('2026-11-21T12:00:00Z');
    for (let hour = 0; hour < 3; hour++) {
      await h.docr.tick();
      h.clock.advance(60 * MINUTE);
    }
    const history = await runs('acme-dev');
    expect(history.map((r: any) => [r.trigger, r.createdAt])).toEqual([
      ['external', '2026-11-20T12:00:00.000Z'],
    ]);
    // One row ever written: the old collection was not inserted (and pruned) hour after hour.
    expect(runInserts).toBe(1);
  });
});
