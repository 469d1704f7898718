import { performance } from 'node:perf_hooks';
import {
  DoEmulator,
  demoSeedPath,
  loadSeedFile,
} from '@backstage-docr/do-emulator';
import { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';

const HEADERS = { authorization: 'Bearer bench' };

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function load(
  name: string,
  total: number,
  concurrency: number,
  request: () => Promise<unknown>,
) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t = performance.now();
        await request();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(46)} ${String(Math.round(total / seconds)).padStart(6)} req/s   p50 ${percentile(latencies, 50).toFixed(2)} ms   p99 ${percentile(latencies, 99).toFixed(2)} ms`,
  );
}

async function sequentialMeanMs(
  total: number,
  request: () => Promise<unknown>,
): Promise<number> {
  for (let i = 0; i < 50; i++) await request(); // warm up
  const started = performance.now();
  for (let i = 0; i < total; i++) await request();
  return (performance.now() - started) / total;
}

export async function run() {
  const seed = loadSeedFile(demoSeedPath);
  for (const validateResponses of [false, true]) {
    const emulator = await DoEmulator.start({
      seed,
      validateResponses,
      rateLimitPerMinute: 1e9,
      rateLimitPerHour: 1e9,
    });
    const get = (path: string) => () =>
      fetch(`${emulator.url}${path}`, { headers: HEADERS }).then(r =>
        r.arrayBuffer(),
      );
    const label = validateResponses ? ' (responses validated)' : '';
    console.log(
      `\nEmulator throughput, 2,000 requests, 16 concurrent${label}:`,
    );
    await load('GET /v2/registries', 2000, 16, get('/v2/registries'));
    await load(
      'GET /v2/registries/acme-dev/repositoriesV2',
      2000,
      16,
      get('/v2/registries/acme-dev/repositoriesV2'),
    );
    await load(
      'GET /v2/kubernetes/clusters',
      2000,
      16,
      get('/v2/kubernetes/clusters'),
    );
    await load('POST /v2/registries/validate-name', 2000, 16, () =>
      fetch(`${emulator.url}/v2/registries/validate-name`, {
        method: 'POST',
        headers: { ...HEADERS, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'some-free-name' }),
      }).then(r => r.arrayBuffer()),
    );
    await emulator.stop();
  }

  const emulator = await DoEmulator.start({
    seed,
    rateLimitPerMinute: 1e9,
    rateLimitPerHour: 1e9,
  });
  const client = new DigitalOceanClient({
    token: 'bench',
    apiUrl: emulator.url,
  });
  // Interleaved in rounds, median of each: a busy machine slows both alike, not one of them.
  const rawRounds: number[] = [];
  const clientRounds: number[] = [];
  for (let round = 0; round < 10; round++) {
    rawRounds.push(
      await sequentialMeanMs(100, () =>
        fetch(`${emulator.url}/v2/registries`, { headers: HEADERS }).then(r =>
          r.json(),
        ),
      ),
    );
    clientRounds.push(
      await sequentialMeanMs(100, () => client.listRegistries()),
    );
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const raw = median(rawRounds);
  const viaClient = median(clientRounds);
  console.log(
    '\nClient overhead, GET /v2/registries, 10 interleaved rounds of 100 sequential calls (medians):',
  );
  console.log(
    `plain fetch + JSON                              ${(raw * 1000).toFixed(0)} µs/call`,
  );
  console.log(
    `DigitalOceanClient.listRegistries()             ${(viaClient * 1000).toFixed(0)} µs/call`,
  );
  console.log(
    `overhead of the client                          ${((viaClient - raw) * 1000).toFixed(0)} µs/call (${(((viaClient - raw) / raw) * 100).toFixed(0)} %)`,
  );
  await emulator.stop();
  console.log(
    `\nRSS after the run: ${Math.round(process.memoryUsage().rss / 1024 ** 2)} MiB`,
  );
}
