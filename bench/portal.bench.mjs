// Portal figures: time from navigation to the registry cards showing data (dev server, warm),
// and the docr plugin's share of the production app bundle, gzipped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  root,
  signedInPage,
  startPortal,
  startServedPortal,
  APP,
} from '../test/support/portal.mjs';

const RUNS = 5;

/** Median time from navigation to the registry cards showing data, on the frontend at `base`. */
async function navigationTimes(label, base, portal) {
  const { browser, page } = await signedInPage(base);
  try {
    const times = [];
    for (let i = 0; i <= RUNS; i++) {
      const started = Date.now();
      await page.goto(`${base}/catalog/default/resource/docr-acme-dev`, {
        waitUntil: 'commit',
      });
      // Data, not just the frame: the storage figure and the GC card's policy.
      await page.getByTestId('storage-label').waitFor({ timeout: 120_000 });
      await page.getByTestId('next-window').waitFor({ timeout: 120_000 });
      if (i > 0) times.push(Date.now() - started); // the first load compiles and warms caches
    }
    times.sort((a, b) => a - b);
    console.log(
      `navigation to registry cards with data   median ${times[Math.floor(times.length / 2)]} ms, min ${times[0]} ms, max ${times.at(-1)} ms (${RUNS} warm loads, ${label})`,
    );
  } finally {
    await browser.close();
    portal.stop();
  }
}

function bundleShare() {
  const app = path.join(root, 'packages', 'app');
  execFileSync(
    path.join(root, 'node_modules/.bin/backstage-cli'),
    ['package', 'build'],
    { cwd: app, stdio: 'ignore' },
  );
  const dir = path.join(app, 'dist', 'static');
  let total = 0;
  let ours = 0;
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.js'))) {
    const code = fs.readFileSync(path.join(dir, file));
    const gz = zlib.gzipSync(code).length;
    total += gz;
    // Chunks holding the plugin's own code (the cards are lazy-loaded).
    if (
      code.includes('docr.garbage-collection.run') ||
      code.includes('plugin.docr.api')
    )
      ours += gz;
  }
  console.log(
    `app bundle, gzipped                      ${(total / 1024).toFixed(0)} KiB`,
  );
  console.log(
    `chunks with the docr plugin, gzipped     ${(ours / 1024).toFixed(1)} KiB`,
  );
}

export async function run() {
  bundleShare(); // also builds packages/app/dist, which the served portal needs
  const logs = path.join(root, 'test-results');
  fs.mkdirSync(logs, { recursive: true });
  await navigationTimes(
    'dev server',
    APP,
    await startPortal({ logFile: path.join(logs, 'bench-portal.log') }),
  );
  await navigationTimes(
    'production build served by the backend',
    'http://localhost:7007',
    await startServedPortal({
      logFile: path.join(logs, 'bench-served-portal.log'),
    }),
  );
}
