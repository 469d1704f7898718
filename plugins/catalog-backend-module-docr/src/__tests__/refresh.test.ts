import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import { DoEmulator, ManualClock } from '@backstage-docr/do-emulator';
import {
  TestBackend,
  eventually,
  names,
  resources,
} from '../__testUtils__/harness';
import {
  REFRESH_TASK as TASK,
  refreshTask,
  startRefreshBackend,
} from '../__testUtils__/refreshBackend';

const MINUTE = 60_000;

/**
 * No run is due before the scheduled one (30 minutes after the last): a request that had
 * triggered a second run would have set its start to "now".
 */
function expectNoRunPending(taskState: {
  startsAt?: string;
  lastRunEndedAt: string;
}) {
  expect(Date.parse(taskState.startsAt!)).toBeGreaterThan(
    Date.parse(taskState.lastRunEndedAt) + 20 * MINUTE,
  );
}

describe('POST /api/catalog/digitalocean/refresh with the real scheduler', () => {
  let emulator: DoEmulator;
  let backend: TestBackend;
  // The emulator's added latency waits on this clock, so a run lasts until the test moves it.
  const clock = new ManualClock(Date.now());

  const task = () => refreshTask(backend);

  beforeAll(async () => {
    ({ emulator, backend } = await startRefreshBackend({
      clock,
      holdLatency: true,
    }));
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await emulator?.stop();
  });

  it('coalesces 20 concurrent requests into one scheduled run, which updates the catalog', async () => {
    const before = (await task()).taskState.lastRunEndedAt;
    emulator.account.createRegistry({ name: 'acme-burst', region: 'fra1' });
    emulator.requests.reset();

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(backend.server)
          .post('/api/catalog/digitalocean/refresh')
          .set('authorization', mockCredentials.user.header()),
      ),
    );
    for (const res of responses) {
      expect(res.status).toBe(202);
      expect(res.body.results).toEqual([
        {
          provider: 'digitalocean-provider:default',
          taskId: TASK,
          status: expect.stringMatching(/^(triggered|running)$/),
        },
      ]);
    }
    // The route itself never reads DigitalOcean.
    expect(emulator.requests.count('registries_list')).toBeLessThanOrEqual(1);

    await eventually(
      () => resources(backend),
      e => expect(names(e)).toContain('docr-acme-burst'),
      30_000,
    );
    const after = await eventually(
      task,
      t => {
        expect(t.taskState.status).toBe('idle');
        expect(t.taskState.lastRunEndedAt > before).toBe(true);
      },
      30_000,
    );
    expectNoRunPending(after.taskState);
    expect(emulator.requests.count('registries_list')).toBe(1);
    expect(emulator.requests.count('kubernetes_list_clusters')).toBe(1);
    expect(emulator.requests.count('registries_get_options')).toBe(1);
  }, 60_000);

  it('answers 202 "running" to requests during a run, which join it', async () => {
    emulator.requests.reset();
    // DigitalOcean answers only when the test moves the clock: the run lasts until then.
    emulator.faults.latencyMs = 3_000;
    try {
      const first = await request(backend.server)
        .post('/api/catalog/digitalocean/refresh?provider=default')
        .set('authorization', mockCredentials.user.header());
      expect(first.status).toBe(202);
      await eventually(task, t => expect(t.taskState.status).toBe('running'));

      const during = await Promise.all(
        Array.from({ length: 5 }, () =>
          request(backend.server)
            .post('/api/catalog/digitalocean/refresh')
            .set('authorization', mockCredentials.service.header())
            .send({ provider: 'default' }),
        ),
      );
      for (const res of during) {
        expect(res.status).toBe(202);
        expect(res.body.results).toEqual([
          expect.objectContaining({ taskId: TASK, status: 'running' }),
        ]);
      }
      const after = await eventually(
        async () => {
          clock.advance(3_000); // answers the calls waiting now
          return task();
        },
        t => expect(t.taskState.status).toBe('idle'),
        30_000,
      );
      expectNoRunPending(after.taskState);
      expect(emulator.requests.count('registries_list')).toBe(1);
      expect(emulator.requests.count('kubernetes_list_clusters')).toBe(1);
    } finally {
      emulator.faults.clear();
    }
  }, 60_000);
});
