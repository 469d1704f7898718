import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import { DoEmulator, ManualClock } from '@backstage-docr/do-emulator';
import { TestBackend, eventually } from '../__testUtils__/harness';
import {
  refreshTask,
  startRefreshBackend,
} from '../__testUtils__/refreshBackend';

const ALICE = mockCredentials.user.header('user:default/alice');
const BOB = mockCredentials.user.header('user:default/bob');

describe('the limits of POST /api/catalog/digitalocean/refresh', () => {
  let emulator: DoEmulator;
  let backend: TestBackend;
  const clock = new ManualClock(Date.now());

  const task = () => refreshTask(backend);
  const refresh = (auth: string) =>
    request(backend.server)
      .post('/api/catalog/digitalocean/refresh')
      .set('authorization', auth);

  beforeAll(async () => {
    ({ emulator, backend } = await startRefreshBackend({
      clock,
      // Longer than the test: a deferred run never starts while it runs.
      refresh: {
        minInterval: { hours: 1 },
        perUser: { requests: 5, per: { hours: 24 } },
      },
    }));
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await emulator?.stop();
  });

  it('turns a burst of 50 refreshes from one user into one run: five accepted, the rest 429, and another user still heard', async () => {
    const before = (await task()).taskState.lastRunEndedAt;
    emulator.requests.reset();
    const answers: request.Response[] = [];
    for (let i = 0; i < 50; i += 10)
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, () => refresh(ALICE)),
        )),
      );
    const accepted = answers.filter(a => a.status === 202);
    const refused = answers.filter(a => a.status === 429);
    expect(accepted).toHaveLength(5);
    expect(refused).toHaveLength(45);
    const statuses = accepted.map(a => a.body.results[0].status);
    expect(statuses[0]).toMatch(/^(triggered|running)$/);
    expect(statuses.slice(1)).toEqual(Array(4).fill('deferred'));
    const startsAt = Date.parse(accepted[1].body.results[0].startsAt);
    expect(startsAt).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(Number(refused[0].headers['retry-after'])).toBeGreaterThan(3600);
    expect(refused[0].body.error.message).toContain(
      'Too many DigitalOcean catalog refreshes: 5 every 24 h per user for digitalocean-provider:default (catalog.providers.digitalocean.default.refresh.perUser)',
    );

    const bob = await refresh(BOB);
    expect(bob.status).toBe(202);
    expect(bob.body.results[0]).toMatchObject({
      status: 'deferred',
      startsAt: accepted[1].body.results[0].startsAt,
    });

    // One run read DigitalOcean for all of them.
    await eventually(task, t => {
      expect(t.taskState.status).toBe('idle');
      expect(t.taskState.lastRunEndedAt > before).toBe(true);
    });
    expect(emulator.requests.count('registries_list')).toBe(1);
    expect(emulator.requests.count('kubernetes_list_clusters')).toBe(1);
  }, 60_000);
});
