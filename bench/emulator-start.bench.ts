import { spawnSync } from 'node:child_process';

const RUNS = 5;

/**
 * The emulator's cold start: a new Node process that imports it, starts it and answers one
 * validated request, as a test file's beforeAll does. Compiling validators for the whole spec up
 * front made this about 4 s on a 2-core machine; they are now compiled per operation on first use.
 * The registry host's listener starts beside the API's; with it, medians of 7 on a shared 2-core
 * machine went from import 449, start 514 ms to import 499, start 533 ms (the registry modules).
 */
const script = `
const { performance } = require('node:perf_hooks');
const t0 = performance.now();
const { DoEmulator } = require('@backstage-docr/do-emulator');
const t1 = performance.now();
DoEmulator.start({ validateResponses: true, seed: { registries: [{ name: 'acme' }] } })
  .then(async emulator => {
    const t2 = performance.now();
    const res = await fetch(emulator.url + '/v2/registries', { headers: { authorization: 'Bearer x' } });
    await res.json();
    const t3 = performance.now();
    await (await fetch(emulator.registryUrl + '/v2/')).text();
    const t4 = performance.now();
    await emulator.stop();
    console.log(JSON.stringify({ load: t1 - t0, start: t2 - t1, firstRequest: t3 - t2, firstRegistryRequest: t4 - t3 }));
  });
`;

export async function run() {
  const samples: Array<{
    load: number;
    start: number;
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
  console.log(
    `emulator cold start, median of ${RUNS} new processes: import ${median('load')} ms, start ${median('start')} ms, first validated request ${median('firstRequest')} ms, first registry host request (both listeners start together) ${median('firstRegistryRequest')} ms`,
  );
}
