import { inspect } from 'node:util';
import { DoEmulator, ManualClock } from '@backstage-docr/do-emulator';
import {
  DigitalOceanClient,
  DigitalOceanClientOptions,
} from '../DigitalOceanClient';
import {
  DigitalOceanApiError,
  DigitalOceanNetworkError,
  DigitalOceanRateLimitError,
  DigitalOceanTimeoutError,
} from '../errors';
import { capturingLogger } from './capturingLogger';

const TOKEN =
  'dop_v1_3f0c8e7d1b2a49c6a5e4d3c2b1a09f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a';

describe('client resilience against the emulator with faults on', () => {
  let emulator: DoEmulator;
  // The emulator's rate-limit windows and the client's waits and timeouts run on this clock:
  // what happens depends on the order of events, never on how busy the machine is.
  let clock: ManualClock;
  const logger = capturingLogger();

  beforeEach(async () => {
    logger.lines.length = 0;
    clock = new ManualClock();
  });
  afterEach(() => emulator?.stop());

  async function start(options: Parameters<typeof DoEmulator.start>[0] = {}) {
    emulator = await DoEmulator.start({
      token: TOKEN,
      validateResponses: true,
      clock: clock.now,
      seed: {
        account: { subscriptionTier: 'basic' },
        registries: [{ name: 'acme' }],
      },
      ...options,
    });
  }

  function client(options: Partial<DigitalOceanClientOptions> = {}) {
    return new DigitalOceanClient({
      token: TOKEN,
      apiUrl: emulator.url,
      logger,
      baseBackoffMs: 20,
      clock,
      ...options,
    });
  }

  const withTimePassing = <T>(work: Promise<T>) => clock.passTimeUntil(work);

  const statuses = (operationId: string) =>
    emulator.requests
      .all()
      .filter(r => r.operationId === operationId)
      .map(r => r.status);

  it('rides out a 429 burst by waiting as the headers say, not by hammering', async () => {
    await start({ rateLimitPerMinute: 2, rateLimitWindowMs: 1_000 });
    const api = client();
    const started = clock.now();
    await withTimePassing(
      (async () => {
        for (let i = 0; i < 6; i++) {
          expect((await api.listRegistries()).map(r => r.name)).toEqual([
            'acme',
          ]);
        }
      })(),
    );
    const log = emulator.requests.all();
    // 6 calls at 2 per second: the third and the fifth are refused, each answered by one wait
    // of retry-after's whole second, then success.
    expect(log.map(r => r.status)).toEqual([
      200, 200, 429, 200, 200, 429, 200, 200,
    ]);
    expect(log.map(r => r.at - started)).toEqual([
      0, 0, 0, 1000, 1000, 1000, 2000, 2000,
    ]);
    expect(clock.now() - started).toBe(2_000);
    expect(
      logger.lines.filter(l =>
        l.includes('rate limit reached on GET /v2/registries; waiting 1000 ms'),
      ),
    ).toHaveLength(2);
  });

  it('shares one rate budget between its callers: after a 429 no caller asks again before the reset', async () => {
    await start({ rateLimitPerMinute: 2, rateLimitWindowMs: 1_000 });
    const api = client();
    await Promise.all([api.listRegistries(), api.listRegistries()]);
    // The budget is spent: this call gets a 429 and waits as retry-after says...
    const first = api.listRegistries();
    await clock.whenSleeping(1);
    expect(statuses('registries_list')).toEqual([200, 200, 429]);
    // ...and a caller arriving meanwhile waits with it instead of collecting its own 429.
    const second = api.listRegistries();
    await clock.whenSleeping(2);
    expect(statuses('registries_list')).toEqual([200, 200, 429]);
    clock.advance(1_000);
    await Promise.all([first, second]);
    expect(statuses('registries_list')).toEqual([200, 200, 429, 200, 200]);
  });

  it('gives up with a typed error when the rate limit resets later than it may wait', async () => {
    await start({ rateLimitPerMinute: 1, rateLimitWindowMs: 60_000 });
    const api = client({ maxRateLimitWaitMs: 5_000 });
    await api.listRegistries();
    const error = await api.listRegistries().catch(e => e);
    expect(error).toBeInstanceOf(DigitalOceanRateLimitError);
    expect(error.id).toBe('too_many_requests');
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
    expect(statuses('registries_list')).toEqual([200, 429]);
  });

  it('retries a 5xx a bounded number of times where the call is safe to repeat', async () => {
    await start();
    emulator.faults.add({
      kind: 'error',
      status: 503,
      count: 2,
      operationId: 'registries_get',
    });
    expect((await withTimePassing(client().getRegistry('acme'))).name).toBe(
      'acme',
    );
    expect(statuses('registries_get')).toEqual([503, 503, 200]);

    emulator.faults.add({
      kind: 'error',
      status: 500,
      count: 10,
      operationId: 'registries_list',
    });
    const error = await withTimePassing(
      client({ maxRetries: 3 }).listRegistries(),
    ).catch(e => e);
    expect(error).toBeInstanceOf(DigitalOceanApiError);
    expect(error).toMatchObject({ status: 500, id: 'server_error' });
    expect(statuses('registries_list')).toEqual([500, 500, 500, 500]);
  });

  it('does not repeat a call that could act twice', async () => {
    await start();
    emulator.faults.add({
      kind: 'error',
      status: 500,
      count: 1,
      operationId: 'registries_run_garbageCollection',
    });
    await expect(client().startGarbageCollection('acme')).rejects.toMatchObject(
      { status: 500 },
    );
    expect(statuses('registries_run_garbageCollection')).toEqual([500]);

    emulator.faults.add({
      kind: 'drop',
      count: 1,
      operationId: 'registries_create',
    });
    const dropped = await client()
      .createRegistry({ name: 'other' })
      .catch(e => e);
    expect(dropped).toBeInstanceOf(DigitalOceanNetworkError);
    expect(statuses('registries_create')).toEqual([0]);
  });

  it('retries a dropped connection on a safe call', async () => {
    await start();
    emulator.faults.add({
      kind: 'drop',
      count: 1,
      operationId: 'registries_list',
    });
    expect(await withTimePassing(client().listRegistries())).toHaveLength(1);
    expect(statuses('registries_list')).toEqual([0, 200]);
  });

  it('aborts an attempt that takes longer than the timeout', async () => {
    await start();
    emulator.faults.add({
      kind: 'hang',
      count: 1,
      operationId: 'registries_list',
    });
    // The hung request never answers: only the attempt's own timeout (real time) ends it.
    const error = await client({ timeoutMs: 300, maxRetries: 0 })
      .listRegistries()
      .catch(e => e);
    expect(error).toBeInstanceOf(DigitalOceanTimeoutError);
    expect(error.message).toBe(
      'DigitalOcean API GET /v2/registries timed out after 300 ms',
    );
    expect(statuses('registries_list')).toEqual([0]);

    emulator.faults.add({
      kind: 'hang',
      count: 1,
      operationId: 'registries_list',
    });
    expect(
      await withTimePassing(
        client({ timeoutMs: 300, maxRetries: 1 }).listRegistries(),
      ),
    ).toHaveLength(1);
    expect(statuses('registries_list')).toEqual([0, 0, 200]);
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    await start();
    emulator.faults.add({
      kind: 'hang',
      count: 5,
      operationId: 'registries_list',
    });
    const controller = new AbortController();
    const failing = client({ timeoutMs: 600_000 })
      .listRegistries({ signal: controller.signal })
      .catch(e => e);
    // Aborted once the emulator holds the request: nothing but the caller's abort can end it.
    while (statuses('registries_list').length === 0) {
      await new Promise(resolve => setImmediate(resolve));
    }
    controller.abort();
    const error = await failing;
    expect(error.name).toBe('AbortError');
    expect(statuses('registries_list')).toEqual([0]);
  });

  it('names DigitalOcean’s error id and request id, and never leaks the token', async () => {
    await start();
    emulator.faults.add({
      kind: 'error',
      status: 500,
      count: 1,
      operationId: 'registries_get',
    });
    emulator.faults.add({
      kind: 'drop',
      count: 1,
      operationId: 'registries_get',
    });
    const error = await withTimePassing(client().getRegistry('missing')).catch(
      e => e,
    );
    expect(error).toBeInstanceOf(DigitalOceanApiError);
    expect(error.status).toBe(404);
    expect(error.id).toBe('not_found');
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain(
      'GET /v2/registries/missing failed with 404 not_found',
    );
    expect(error.message).toContain(error.requestId);

    const unauthorized = await new DigitalOceanClient({
      token: `${TOKEN}-revoked`,
      apiUrl: emulator.url,
      logger,
    })
      .listRegistries()
      .catch(e => e);
    expect(unauthorized).toMatchObject({ status: 401, id: 'unauthorized' });

    const everything = [
      ...logger.lines,
      error.message,
      error.stack,
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
      unauthorized.message,
      inspect(unauthorized, { depth: 10, showHidden: true }),
      inspect(client(), { depth: 10, showHidden: true }),
    ].join('\n');
    expect(logger.lines.length).toBeGreaterThanOrEqual(2); // the retries were logged
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(TOKEN.slice(8, 40));
  });

  it('follows pagination to the end, 200 at a time', async () => {
    await start({
      seed: {
        clusters: Array.from({ length: 450 }, (_, i) => ({ name: `c${i}` })),
      },
    });
    const clusters = await client().listClusters();
    expect(clusters).toHaveLength(450);
    expect(new Set(clusters.map(c => c.id)).size).toBe(450);
    expect(emulator.requests.all().map(r => r.path)).toEqual([
      '/v2/kubernetes/clusters',
      '/v2/kubernetes/clusters',
      '/v2/kubernetes/clusters',
    ]);
  });
});

describe('pagination links', () => {
  it('takes only the page parameters from a link, so the token never goes to another host', async () => {
    const requested: string[] = [];
    const fetchStub: typeof fetch = async input => {
      const url = new URL(String(input));
      requested.push(url.toString());
      const page = Number(url.searchParams.get('page') ?? 1);
      const body = {
        regions: [
          {
            slug: `r${page}`,
            name: 'x',
            features: [],
            available: true,
            sizes: [],
          },
        ],
        links:
          page < 2
            ? {
                pages: {
                  next: 'https://evil.example.com/v2/regions?page=2&per_page=200',
                },
              }
            : {},
        meta: { total: 2 },
      };
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const api = new DigitalOceanClient({
      token: TOKEN,
      apiUrl: 'http://127.0.0.1:9',
      fetch: fetchStub,
    });
    expect((await api.listRegions()).map(r => r.slug)).toEqual(['r1', 'r2']);
    expect(requested).toEqual([
      'http://127.0.0.1:9/v2/regions?per_page=200',
      'http://127.0.0.1:9/v2/regions?per_page=200&page=2',
    ]);
  });
});
