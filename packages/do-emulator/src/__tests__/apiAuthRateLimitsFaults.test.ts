import { ManualClock } from '../ManualClock';
import { caller, emulatorHarness } from './http';

describe('emulator API behaviour', () => {
  const h = emulatorHarness();
  const { start } = h;

  describe('auth, rate limits, pagination and faults', () => {
    it('answers 401 in DigitalOcean’s shape without a valid bearer token', async () => {
      await start({ token: 'secret-token' });
      const none = await caller(h.emulator, '')('GET', '/v2/registries');
      expect(none.status).toBe(401);
      expect(none.body).toMatchObject({
        id: 'unauthorized',
        message: 'Unable to authenticate you.',
      });
      expect(
        (await caller(h.emulator, 'wrong')('GET', '/v2/registries')).status,
      ).toBe(401);
      expect(
        (await caller(h.emulator, 'secret-token')('GET', '/v2/registries'))
          .status,
      ).toBe(200);
    });

    it('sends ratelimit headers and a real 429 with retry-after past the budget', async () => {
      let now = 1_000_000_000_000;
      await start({
        clock: () => now,
        rateLimitPerMinute: 3,
        rateLimitPerHour: 100,
      });
      const first = await h.call('GET', '/v2/registries');
      expect(first.headers.get('ratelimit-limit')).toBe('100');
      expect(first.headers.get('ratelimit-remaining')).toBe('99');
      await h.call('GET', '/v2/registries');
      await h.call('GET', '/v2/registries');
      now += 20_000;
      const limited = await h.call('GET', '/v2/registries');
      expect(limited.status).toBe(429);
      expect(limited.body.id).toBe('too_many_requests');
      expect(limited.headers.get('retry-after')).toBe('40');
      expect(limited.headers.get('ratelimit-reset')).toBe(
        String(Math.ceil((1_000_000_000_000 + 60_000) / 1000)),
      );
      now += 40_000;
      expect((await h.call('GET', '/v2/registries')).status).toBe(200);
    });

    it('paginates with links and meta', async () => {
      await start({
        seed: {
          clusters: Array.from({ length: 45 }, (_, i) => ({
            name: `c${String(i).padStart(2, '0')}`,
          })),
        },
      });
      const first = await h.call('GET', '/v2/kubernetes/clusters?per_page=20');
      expect(first.body.kubernetes_clusters).toHaveLength(20);
      expect(first.body.meta.total).toBe(45);
      expect(first.body.links.pages.next).toContain('page=2');
      expect(first.body.links.pages.last).toContain('page=3');
      const last = await h.call(
        'GET',
        '/v2/kubernetes/clusters?per_page=20&page=3',
      );
      expect(last.body.kubernetes_clusters.map((c: any) => c.name)).toEqual([
        'c40',
        'c41',
        'c42',
        'c43',
        'c44',
      ]);
      expect(last.body.links.pages.prev).toContain('page=2');
      expect(last.body.links.pages.next).toBeUndefined();
      expect(
        (await h.call('GET', '/v2/kubernetes/clusters?per_page=201')).status,
      ).toBe(422);
    });

    it('injects errors, dropped connections and latency, and counts requests per operation', async () => {
      await start();
      h.emulator.faults.add({
        kind: 'error',
        status: 503,
        count: 1,
        operationId: 'registries_list',
      });
      h.emulator.faults.add({
        kind: 'drop',
        count: 1,
        operationId: 'registries_get_options',
      });
      expect((await h.call('GET', '/v2/registries')).status).toBe(503);
      expect((await h.call('GET', '/v2/registries')).status).toBe(200);
      await expect(h.call('GET', '/v2/registries/options')).rejects.toThrow();
      expect((await h.call('GET', '/v2/registries/options')).status).toBe(200);
      await h.call('POST', '/_emulator/faults', { latencyMs: 150 });
      const started = Date.now();
      await h.call('GET', '/v2/registries');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      const counts = (await h.call('GET', '/_emulator/requests')).body;
      expect(counts.byOperation).toEqual({
        registries_get_options: 2,
        registries_list: 3,
      });
      expect(h.emulator.requests.count('registries_list')).toBe(3);
      expect(h.emulator.requests.mutating()).toHaveLength(0);
    });

    it('holds the answers a delay applies to until the emulator’s clock has moved that far', async () => {
      const clock = new ManualClock();
      await start({ sleep: ms => clock.sleep(ms) });
      h.emulator.faults.add({
        kind: 'delay',
        delayMs: 5_000,
        operationId: 'registries_list',
      });
      const held = h.call('GET', '/v2/registries');
      await clock.whenSleeping(1);
      // Other operations answer meanwhile; the delayed one is logged, not answered.
      expect((await h.call('GET', '/v2/registries/options')).status).toBe(200);
      const [entry] = h.emulator.requests
        .all()
        .filter(r => r.operationId === 'registries_list');
      expect(entry.status).toBeUndefined();
      clock.advance(4_999);
      expect(clock.sleeping).toBe(1);
      clock.advance(1);
      expect((await held).status).toBe(200);
      expect(entry.status).toBe(200);
    }, 30_000);
  });
});
