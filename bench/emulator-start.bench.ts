import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const BIN = path.resolve(__dirname, '../packages/do-emulator/bin/do-emulator');

const RUNS = 7;

/**
 * The emulator's cold start: `bin/do-emulator` in a new process, as a user (or the OCI client and
 * SDK tests) starts it, timed from the spawn to its "listening" line, then one validated request.
 * The goal: listening within 0.3 s, the first validated answer within 50 ms. The first request goes
 * through node:http (a process's first fetch() alone takes about 65 ms to load undici, the
 * client's cost, not the emulator's).
 *
 * Where the time went, and what changed (medians of 7 on 2 cores):
 * - Node's boot with Backstage's TypeScript transform (swc and an ES module loader thread): 110 to
 *   140 ms of a process that does nothing (plain Node: ~25 ms). The bin now runs the source through
 *   the same swc transform with each file's output cached on disk and V8's compile cache on: a
 *   start with the cache warm loads neither (bin/sourceTransform.cjs). Listening 333-387 →
 *   see docs/benchmarks.md.
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
/** One start of `bin/do-emulator`, as a user or a test runs it; the figures in ms. */
async function startOnce(seedFile: string) {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      BIN,
      '--port',
      '0',
      '--registry-port',
      '0',
      '--validate-responses',
      '--seed',
      seedFile,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const urls: string[] = [];
    let listening = 0;
    await new Promise<void>((resolve, reject) => {
      child.once('exit', code =>
        reject(new Error(`do-emulator exited with ${code}`)),
      );
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        for (const match of chunk.matchAll(/listening on (\S+)/g)) {
          urls.push(match[1]);
          if (urls.length === 1) listening = performance.now() - started;
        }
        if (urls.length === 2) resolve();
      });
    });
    const [apiUrl, registryUrl] = urls;
    const t0 = performance.now();
    const res = await get(`${apiUrl}/v2/registries`, {
      authorization: 'Bearer x',
    });
    if (res.status !== 200 || JSON.parse(res.body).registries.length !== 1)
      throw new Error(res.body);
    const t1 = performance.now();
    await get(`${registryUrl}/v2/`);
    const t2 = performance.now();
    return {
      listening,
      firstRequest: t1 - t0,
      firstRegistryRequest: t2 - t1,
    };
  } finally {
    child.kill();
  }
}

function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status?: number; body: string }>((resolve, reject) => {
    http
      .get(url, { headers }, res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
      .on('error', reject);
  });
}

export async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-start-'));
  const seedFile = path.join(dir, 'seed.yaml');
  fs.writeFileSync(seedFile, 'registries:\n  - name: acme\n');
  // A first start fills the transform cache after a source change; the figures are the starts after.
  await startOnce(seedFile);
  const samples: Array<Awaited<ReturnType<typeof startOnce>>> = [];
  for (let i = 0; i < RUNS; i++) samples.push(await startOnce(seedFile));
  fs.rmSync(dir, { recursive: true, force: true });
  const median = (key: keyof (typeof samples)[number]) => {
    const sorted = samples.map(s => s[key]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)].toFixed(0);
  };
  const load = os.loadavg()[0].toFixed(1);
  console.log(
    `emulator cold start (bin/do-emulator --validate-responses), median of ${RUNS} new processes (load average ${load}): listening ${median('listening')} ms after the process was spawned, first validated request ${median('firstRequest')} ms, first registry host request (its modules load then) ${median('firstRegistryRequest')} ms`,
  );
}
