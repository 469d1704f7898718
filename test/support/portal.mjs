// Starts the portal as `./run start` does (backstage-cli repo start) and drives Debian's Chromium
// with Playwright. Used by the browser test and the portal benchmark.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
export const APP = 'http://localhost:3000';
export const EMULATOR = 'http://127.0.0.1:4010';

/**
 * The tests' config over app-config.yaml (app-config.local.yaml, a developer's own, is not read):
 * the GC task ticks every 3 s rather than 10, so a run's end, a window's deletions and the storage
 * after a GC show sooner; with `ports` ({ app, backend, emulator }) the portal moves there, so a
 * benchmark can run beside a portal on 3000/7007/4010. Returns `--config` arguments.
 */
function testConfigArgs(ports) {
  const config = {
    docr: { garbageCollection: { tickFrequency: { seconds: 3 } } },
  };
  if (ports) {
    const app = `http://localhost:${ports.app ?? ports.backend}`;
    const backend = `http://localhost:${ports.backend}`;
    Object.assign(config, {
      app: { baseUrl: app },
      backend: {
        baseUrl: backend,
        listen: { port: ports.backend },
        cors: { origin: app },
      },
      digitalocean: { emulator: { port: ports.emulator } },
    });
  }
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'docr-portal-')),
    'app-config.test.yaml',
  );
  // JSON is YAML.
  fs.writeFileSync(file, JSON.stringify(config));
  return ['--config', path.join(root, 'app-config.yaml'), '--config', file];
}

async function waitForUrl(url, timeoutMs) {
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() - started > timeoutMs)
      throw new Error(`${url} did not come up in ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

/**
 * Starts frontend and backend (with the emulator app-config.yaml declares) and waits until both
 * answer; on 3000/7007/4010, or on `ports` ({ app, backend, emulator }). `backendOnly` starts the
 * backend alone (`backstage-cli repo start backend`), for tests of its REST APIs.
 */
export async function startPortal({ logFile, env = {}, ports, backendOnly }) {
  const childEnv = {
    ...process.env,
    DOCR_EMULATOR_GC_STEP: 'PT2S',
    DOCR_EMULATOR_STORAGE_LAG: 'PT3S',
    BROWSER: 'none',
    ...env,
  };
  delete childEnv.DIGITALOCEAN_TOKEN;
  delete childEnv.DIGITALOCEAN_ACCESS_TOKEN;
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    path.join(root, 'node_modules/.bin/backstage-cli'),
    [
      'repo',
      'start',
      ...(backendOnly ? ['backend'] : []),
      ...testConfigArgs(ports),
    ],
    {
      cwd: root,
      env: childEnv,
      detached: true,
      stdio: ['ignore', log, log],
    },
  );
  await waitForUrl(
    `http://localhost:${ports?.backend ?? 7007}/.backstage/health/v1/readiness`,
    180_000,
  );
  if (!backendOnly)
    await waitForUrl(ports ? `http://localhost:${ports.app}` : APP, 180_000);
  return {
    stop() {
      // The dev servers run in their own process group: end all of it.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

/** A headless Chromium page, signed in as guest on the frontend at `base`. */
export async function signedInPage(base = APP) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
  });
  page.setDefaultTimeout(60_000);
  await page.goto(base, { waitUntil: 'domcontentloaded' });
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByText('Catalog').first().waitFor();
  return { browser, page };
}

/**
 * Starts the portal as `./run serve` does (scripts/serve.sh --no-build): the frontend's production
 * build (which must exist in packages/app/dist) served by the backend, one node process that does
 * not restart on source changes, on :7007 or on `ports` ({ backend, emulator }).
 */
export async function startServedPortal({ logFile, ports }) {
  const log = fs.openSync(logFile, 'w');
  const env = { ...process.env, DOCR_EMULATOR_GC_STEP: 'PT2S' };
  delete env.DIGITALOCEAN_TOKEN;
  delete env.DIGITALOCEAN_ACCESS_TOKEN;
  const portArgs = ports
    ? [
        '--port',
        String(ports.backend),
        '--emulator-port',
        String(ports.emulator),
      ]
    : [];
  const child = spawn(
    'bash',
    [path.join(root, 'scripts', 'serve.sh'), '--no-build', ...portArgs],
    { cwd: root, env, detached: true, stdio: ['ignore', log, log] },
  );
  const base = `http://localhost:${ports?.backend ?? 7007}`;
  await waitForUrl(`${base}/.backstage/health/v1/readiness`, 180_000);
  await waitForUrl(`${base}/`, 60_000);
  return {
    stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}
