import { spawnSync } from 'node:child_process';
import os from 'node:os';

const RUNS = 7;

/**
 * The emulator's cold start: a new Node process that imports it, starts it and answers one
 * validated request, as a test file's beforeAll does. Compiling validators for the whole spec up
 * front made this about 4 s on a 2-core machine; they are now compiled per operation on first use.
 * The registry host's listener starts beside the API's; with it, medians of 7 on a shared 2-core
 * machine went from import 449, start 514 ms to import 499, start 533 ms (the registry modules).
 *
 * `listening` counts from the process's start (Node's own boot and Backstage's TypeScript
 * transform hooks included), the goal's measure: 0.3 s to listening, 50 ms to the first validated
 * answer. The first request goes through node:http, which the emulator has loaded already: a
 * process's first fetch() alone takes about 65 ms to load undici, the client's cost, not the
 * emulator's.
 *
 * Where the time went, and what changed (medians of 7, this bench on the code before and after,
 * runs interleaved, load average 5.5 to 6 on 2 cores): import 437-477 → 203-280 ms, start
 * 419-540 → 43-70 ms, listening 1195-1293 → 396-571 ms after the process started, first
 * validated request 156-179 → 45-78 ms.
 * - start: parsing the spec's YAML (~60 ms; now its JSON form, ~2 ms) and dereferencing it with
 *   json-schema-ref-parser (~75 ms; now dereferenceLocal, ~5 ms);
 * - import: swc transforming each TypeScript file (64 then, 52 now: the registry host, the
 *   Kubernetes API stand-in and the admin routes load on their first request), and modules
 *   openapi-backend requires but the emulator never calls (json-schema-ref-parser, an ES module,
 *   ~45 ms; qs and its two dozen modules, 25-40 ms; the definition checker and the mocker): 292
 *   modules then, 160 now;
 * - first request: openapi-backend compiled all of an operation's validators on its first use,
 *   one per response status and four per status for the headers, each with a new Ajv instance;
 *   now each compiles when it first validates, with one Ajv instance per set of options.
 */
const script = `
const { performance } = require('node:perf_hooks');
const http = require('node:http');
const get = (url, headers) => new Promise((resolve, reject) => {
  http.get(url, { headers }, res => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', chunk => (body += chunk));
    res.on('end', () => resolve({ status: res.statusCode, body }));
  }).on('error', reject);
});
const t0 = performance.now();
const { DoEmulator } = require('@backstage-docr/do-emulator');
const t1 = performance.now();
DoEmulator.start({ validateResponses: true, seed: { registries: [{ name: 'acme' }] } })
  .then(async emulator => {
    const t2 = performance.now();
    const res = await get(emulator.url + '/v2/registries', { authorization: 'Bearer x' });
    if (res.status !== 200 || JSON.parse(res.body).registries.length !== 1) throw new Error(res.body);
    const t3 = performance.now();
    await get(emulator.registryUrl + '/v2/');
    const t4 = performance.now();
    await emulator.stop();
    console.log(JSON.stringify({ load: t1 - t0, start: t2 - t1, listening: t2, firstRequest: t3 - t2, firstRegistryRequest: t4 - t3 }));
  });
`;

export async function run() {
  const samples: Array<{
    load: number;
    start: number;
    listening: number;
    firstRequest: number;
    firstRegistryRequest: number;
  }> = [];
  for (let i = 0; i < RUNS; i++) {
    const child = spawnSync(
      process.execPath,
      [
        '-r',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        '-e',
        script,
      ],
      { encoding: 'utf8', cwd: __dirname },
    );
    if (child.status !== 0) throw new Error(child.stderr);
    samples.push(JSON.parse(child.stdout.trim().split('\n').pop()!));
  }
  const median = (key: keyof (typeof samples)[number]) => {
    const sorted = samples.map(s => s[key]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)].toFixed(0);
  };
  const load = os.loadavg()[0].toFixed(1);
  console.log(
    `emulator cold start, median of ${RUNS} new processes (load average ${load}): import ${median('load')} ms, start ${median('start')} ms, listening ${median('listening')} ms after the process started, first validated request ${median('firstRequest')} ms, first registry host request (its modules load then) ${median('firstRegistryRequest')} ms`,
  );
}
