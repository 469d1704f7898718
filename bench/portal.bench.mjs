// Portal figures: time from navigation to the registry cards showing data, on the production build
// served by the backend (./run serve) and on the development server (./run start), warm (the
// browser's cache holds the app) and cold (a first visit, nothing cached); and the docr plugin's
// share of the production app bundle, gzipped.
//
// "Showing data" is measured in the page: the moment (performance.now(), from the navigation's
// start) the registry card's storage shows a figure and the GC card its next window, seen by a
// MutationObserver; the wall clock around page.goto adds the harness's own latency.
//
//   PORTAL_BENCH_RUNS=11            warm loads per portal (the median is reported)
//   PORTAL_BENCH_ONLY=served|dev    one portal only
//   PORTAL_BENCH_WATERFALL=1        also print every request of one warm load (resource timing)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  root,
  signedInPage,
  startPortal,
  startServedPortal,
} from '../test/support/portal.mjs';

const RUNS = Number(process.env.PORTAL_BENCH_RUNS ?? 11);
const COLD_RUNS = Math.max(3, Math.round(RUNS / 2));
const ENTITY_PATH = '/catalog/default/resource/docr-acme-dev';
// Not 3000/7007/4010: the benchmark runs beside a portal started with ./run start or ./run serve.
const DEV_PORTS = { app: 3300, backend: 7300, emulator: 4300 };
const SERVED_PORTS = { backend: 7310, emulator: 4310 };

/** Runs in the page before its scripts: notes when each card first shows data. */
function watchCards() {
  performance.setResourceTimingBufferSize(2000);
  const check = () => {
    const storage = document.querySelector('[data-testid=storage-label]');
    if (!window.__docrStorageAt && /\d/.test(storage?.textContent ?? ''))
      window.__docrStorageAt = performance.now();
    if (
      !window.__docrGcAt &&
      document.querySelector('[data-testid=next-window]')
    )
      window.__docrGcAt = performance.now();
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
  });
}

/** Navigates to the registry's page; ms in the page and on the wall clock until both cards show data. */
async function load(page, url) {
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(
    () => window.__docrStorageAt && window.__docrGcAt,
    null,
    { timeout: 120_000, polling: 20 },
  );
  const wall = Date.now() - started;
  const inPage = await page.evaluate(() =>
    Math.max(window.__docrStorageAt, window.__docrGcAt),
  );
  return { inPage: Math.round(inPage), wall };
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)],
    min: sorted[0],
    max: sorted.at(-1),
  };
}

function report(what, label, loads) {
  const inPage = summary(loads.map(l => l.inPage));
  const wall = summary(loads.map(l => l.wall));
  const load = os.loadavg()[0].toFixed(1);
  console.log(
    `${what.padEnd(40)} median ${inPage.median} ms, min ${inPage.min} ms, max ${inPage.max} ms; wall clock median ${wall.median} ms (${loads.length} loads, ${label}; load average ${load} on ${os.cpus().length} cores)`,
  );
}

/** Warm and cold navigation times on the frontend at `base`. */
async function navigationTimes(label, base, portal) {
  const { browser, page } = await signedInPage(base);
  const url = `${base}${ENTITY_PATH}`;
  try {
    await page.addInitScript(watchCards);
    // The first load waits for the catalog to hold the entity and warms caches (and compiles, on
    // the development server).
    for (let attempt = 0; ; attempt++) {
      try {
        await load(page, url);
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    const warm = [];
    for (let i = 0; i < RUNS; i++) warm.push(await load(page, url));
    report('registry cards with data, warm', label, warm);
    if (process.env.PORTAL_BENCH_WATERFALL) await printWaterfall(page, url);

    // A first visit: a new browser context (empty cache), signed in already.
    const state = await page.context().storageState();
    const cold = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      const context = await browser.newContext({
        storageState: state,
        viewport: { width: 1400, height: 1000 },
      });
      const fresh = await context.newPage();
      await fresh.addInitScript(watchCards);
      cold.push(await load(fresh, url));
      await context.close();
    }
    report('registry cards with data, cold', label, cold);
  } finally {
    await browser.close();
    portal.stop();
  }
}

/** Every request of one more load (resource timing, ms since the navigation's start). */
async function printWaterfall(page, url) {
  const { inPage } = await load(page, url);
  const { nav, entries } = await page.evaluate(() => ({
    nav: performance.getEntriesByType('navigation')[0].toJSON(),
    entries: performance.getEntriesByType('resource').map(e => e.toJSON()),
  }));
  const ms = t => String(Math.round(t)).padStart(6);
  console.log(
    `  document ${ms(nav.responseEnd)} ms, DOMContentLoaded ${ms(nav.domContentLoadedEventEnd)} ms, cards with data ${ms(inPage)} ms`,
  );
  console.log('   start    end    bytes (transferred, 0 = cache) url');
  for (const e of entries) {
    console.log(
      `  ${ms(e.startTime)} ${ms(e.responseEnd)} ${String(e.encodedBodySize).padStart(8)} (${String(e.transferSize).padStart(8)}) ${e.name.replace(/^https?:\/\/[^/]+/, '')}`,
    );
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
  const only = process.env.PORTAL_BENCH_ONLY;
  bundleShare(); // also builds packages/app/dist, which the served portal needs
  const logs = path.join(root, 'test-results');
  fs.mkdirSync(logs, { recursive: true });
  if (only !== 'dev') {
    await navigationTimes(
      'production build served by the backend',
      `http://localhost:${SERVED_PORTS.backend}`,
      await startServedPortal({
        logFile: path.join(logs, 'bench-served-portal.log'),
        ports: SERVED_PORTS,
      }),
    );
  }
  if (only !== 'served') {
    await navigationTimes(
      'dev server',
      `http://localhost:${DEV_PORTS.app}`,
      await startPortal({
        logFile: path.join(logs, 'bench-portal.log'),
        ports: DEV_PORTS,
      }),
    );
  }
}
