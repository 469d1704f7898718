#!/usr/bin/env node
// Proof that a stranger can install the plugins (./run verify-install [--keep]):
//
// 1. packs every publishable package with verify-pack (`--keep-tarballs`), its checks included;
// 2. makes a fresh app in a temporary directory as Backstage's docs do,
//    `npx @backstage/create-app@latest --skip-install`, and installs it with npm (TOOLCHAIN.md:
//    create-app's Yarn 4 cannot resolve on this machine kind);
// 3. applies docs/install.md, the root README's install section, as written: its
//    `yarn --cwd <workspace> add` lines become dependencies on the tarballs, its diffs are applied
//    to packages/backend/src/index.ts and packages/app/src/App.tsx, its config merged into
//    app-config.yaml; every plugin and module this repository publishes must be among its lines;
// 4. `npm install`, `tsc`, `backstage-cli repo build --all`;
// 5. starts this repository's DigitalOcean API emulator on :4110 and :4112 (demo seed; used by the check
//    only, never installed into the app) and the app's backend on :7107 with a small config over
//    the documented one (`digitalocean.apiUrl` at the emulator, a short provider schedule), signs
//    in as guest and checks that GET /api/docr/registries lists acme-prod, that the catalog has
//    resource:default/docr-acme-prod and the docr templates.
// Then stops both (their process groups) and removes the temporary directory unless --keep.
// Several minutes: the app's npm install dominates. Not part of ./run test.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { applyEdits, countLines, parseInstallDoc } from './lib/install-doc.mjs';
import { portTaken, Servers, waitFor } from './lib/servers.mjs';
import {
  addTarballs,
  alignBackendDefaults,
  createApp,
  sh,
  tarballsByName,
  useNpm,
} from './lib/stranger-app.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const yaml = require('yaml');

const EMULATOR_PORT = 4110;
// Its registry host too: the default, 4012, is the portal's (`./run start`, the browser tests).
const EMULATOR_REGISTRY_PORT = 4112;
const BACKEND_PORT = 7107;
const backendUrl = `http://localhost:${BACKEND_PORT}`;
const keep = process.argv.includes('--keep');

const started = Date.now();
const seconds = since => `${((Date.now() - since) / 1000).toFixed(1)} s`;

// Child processes build native modules against the running Node's headers (TOOLCHAIN.md).
const nodePrefix = path.dirname(path.dirname(process.execPath));
const env = {
  ...process.env,
  PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
  ...(fs.existsSync(path.join(nodePrefix, 'include', 'node', 'node_version.h'))
    ? { npm_config_nodedir: nodePrefix }
    : {}),
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-install-'));
const appDir = path.join(tmp, 'stranger-app');
const servers = new Servers(tmp, env);

async function step(title, fn) {
  const at = Date.now();
  console.log(`\n==> ${title}`);
  const result = await fn();
  console.log(`    ok (${seconds(at)})`);
  return result;
}

async function cleanUp() {
  await servers.stop();
  if (keep) console.log(`Kept ${tmp}`);
  // rm -rf: fs.rmSync takes minutes over the app's 2 GB of node_modules.
  else spawnSync('rm', ['-rf', tmp]);
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanUp().finally(() => process.exit(130));
  });
}

async function getJson(url, token) {
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const body = await response.text();
  return { status: response.status, json: body ? JSON.parse(body) : undefined };
}

/**
 * Modules of another project's plugin, installed only beside it: not part of every app's
 * install, their README says how; the root README's package table links them.
 */
const BESIDE_ANOTHER_PLUGIN = new Map([
  [
    '@backstage-docr/plugin-tech-insights-backend-module-docr',
    'Tech Insights (a community plugin)',
  ],
]);

/** The plugins and modules users install; libraries come as their dependencies. */
function checkDocNamesEveryPlugin(installs) {
  const named = new Set(installs.flatMap(i => i.packages));
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  for (const [name, beside] of BESIDE_ANOTHER_PLUGIN) {
    const dir = name.replace('@backstage-docr/plugin-', 'plugins/');
    if (!readme.includes(`](${dir}/README.md)`))
      throw new Error(
        `README.md does not link ${dir}/README.md (${name}, installed beside ${beside})`,
      );
    named.add(name);
  }
  const plugins = ['packages', 'plugins']
    .flatMap(parent =>
      fs.readdirSync(path.join(root, parent)).map(d => `${parent}/${d}`),
    )
    .map(dir => path.join(root, dir, 'package.json'))
    .filter(file => fs.existsSync(file))
    .map(file => JSON.parse(fs.readFileSync(file, 'utf8')))
    .filter(json => !json.private && /plugin/.test(json.backstage?.role ?? ''));
  const missing = plugins.filter(json => !named.has(json.name));
  if (missing.length > 0) {
    throw new Error(
      `docs/install.md does not install ${missing.map(j => j.name).join(', ')}`,
    );
  }
}

async function main() {
  for (const port of [EMULATOR_PORT, EMULATOR_REGISTRY_PORT, BACKEND_PORT]) {
    if (await portTaken(port)) throw new Error(`port ${port} is taken`);
  }
  const doc = parseInstallDoc(path.join(root, 'docs', 'install.md'));
  checkDocNamesEveryPlugin(doc.installs);
  const counts = countLines(doc);
  console.log(
    `docs/install.md: ${counts.commands} install commands (${doc.installs.flatMap(i => i.packages).length} packages), ` +
      `${counts.added} lines added and ${counts.removed} removed in code, ${counts.config} config lines`,
  );
  console.log(`Temporary directory: ${tmp}`);

  const tarballDir = path.join(tmp, 'tarballs');
  await step('verify-pack --keep-tarballs (build, pack, check)', () => {
    const pack = spawnSync(
      process.execPath,
      [
        path.join(root, 'scripts', 'verify-pack.mjs'),
        '--keep-tarballs',
        tarballDir,
      ],
      { cwd: root, env, stdio: 'inherit' },
    );
    if (pack.status !== 0) throw new Error('verify-pack failed');
  });
  const tarballs = tarballsByName(tarballDir);

  await step('npx @backstage/create-app@latest --skip-install', () => {
    const version = createApp(appDir, path.join(tmp, 'tools'), env);
    console.log(`    Backstage ${version}`);
  });

  await step('apply docs/install.md (tarballs for the registry)', () => {
    useNpm(appDir);
    const aligned = alignBackendDefaults(appDir, env, require('semver'));
    if (aligned) console.log(`    ${aligned} (create-app lags the release)`);
    addTarballs(appDir, doc.installs, tarballs);
    applyEdits(appDir, doc.edits, yaml);
  });

  await step('npm install', () =>
    sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: appDir,
      env,
    }),
  );
  const cli = path.join(appDir, 'node_modules', '.bin', 'backstage-cli');
  await step('tsc', () =>
    sh(path.join(appDir, 'node_modules', '.bin', 'tsc'), [], {
      cwd: appDir,
      env,
    }),
  );
  await step('backstage-cli repo build --all', () =>
    sh(cli, ['repo', 'build', '--all'], { cwd: appDir, env }),
  );

  const checkConfig = path.join(appDir, 'app-config.verify-install.yaml');
  fs.writeFileSync(
    checkConfig,
    yaml.stringify({
      backend: { baseUrl: backendUrl, listen: { port: BACKEND_PORT } },
      digitalocean: { apiUrl: `http://127.0.0.1:${EMULATOR_PORT}` },
      catalog: {
        providers: {
          digitalocean: {
            default: {
              schedule: { frequency: { seconds: 15 }, timeout: { minutes: 1 } },
            },
          },
        },
      },
    }),
  );

  const emulator = servers.start(
    'emulator',
    process.execPath,
    [
      'packages/do-emulator/bin/do-emulator',
      '--port',
      String(EMULATOR_PORT),
      '--registry-port',
      String(EMULATOR_REGISTRY_PORT),
      '--seed',
      'packages/do-emulator/seeds/demo.yaml',
    ],
    { cwd: root },
  );
  await step(`emulator on :${EMULATOR_PORT}`, () =>
    waitFor('the emulator listening', emulator, 60_000, async () => ({
      ok: await portTaken(EMULATOR_PORT),
    })),
  );

  const backend = servers.start(
    'backend',
    cli,
    [
      'package',
      'start',
      '--config',
      path.join(appDir, 'app-config.yaml'),
      '--config',
      checkConfig,
    ],
    {
      cwd: path.join(appDir, 'packages', 'backend'),
      env: { DIGITALOCEAN_TOKEN: 'verify-install' },
    },
  );
  await step(`the app's backend on :${BACKEND_PORT}, healthy`, () =>
    waitFor('backend readiness', backend, 240_000, async () => {
      const r = await fetch(`${backendUrl}/.backstage/health/v1/readiness`);
      return { ok: r.status === 200, reason: `readiness ${r.status}` };
    }),
  );

  const token = await step('guest sign-in', async () => {
    const r = await fetch(`${backendUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const body = await r.json();
    const value = body?.backstageIdentity?.token;
    if (!value) throw new Error(`no guest token: ${JSON.stringify(body)}`);
    return value;
  });

  await step('GET /api/docr/registries lists acme-prod', () =>
    waitFor('acme-prod in /api/docr/registries', backend, 120_000, async () => {
      const r = await getJson(`${backendUrl}/api/docr/registries`, token);
      const names = (r.json?.items ?? []).map(i => i.name);
      return {
        ok: r.status === 200 && names.includes('acme-prod'),
        reason: `${r.status} ${JSON.stringify(names)}`,
      };
    }),
  );

  await step('catalog has resource:default/docr-acme-prod', () =>
    waitFor('resource:default/docr-acme-prod', backend, 120_000, async () => {
      const r = await getJson(
        `${backendUrl}/api/catalog/entities/by-name/resource/default/docr-acme-prod`,
        token,
      );
      return { ok: r.status === 200, reason: `catalog answered ${r.status}` };
    }),
  );

  const templateNames = fs
    .readdirSync(path.join(root, 'templates'))
    .filter(f => f.endsWith('.yaml') && f !== 'all.yaml');
  await step(`catalog has the ${templateNames.length} docr templates`, () =>
    waitFor('the docr templates', backend, 120_000, async () => {
      const r = await getJson(
        `${backendUrl}/api/catalog/entities/by-query?filter=kind=template&limit=100`,
        token,
      );
      const docr = (r.json?.items ?? []).filter(e =>
        /docr-templates|scaffolder-backend-module-docr/.test(
          e.metadata?.annotations?.[
            'backstage.io/managed-by-origin-location'
          ] ?? '',
        ),
      );
      return {
        ok: docr.length === templateNames.length,
        reason: `${docr.length} of ${templateNames.length}`,
      };
    }),
  );
}

let failure;
try {
  await main();
} catch (error) {
  failure = error;
  process.exitCode = 1;
} finally {
  await cleanUp();
}
console.log(
  failure
    ? `\nverify-install: FAILED after ${seconds(started)}: ${failure.message ?? failure}`
    : `\nverify-install: a stranger's app installs and runs the plugins (${seconds(started)}, clean-up included)`,
);
