// A stranger's Backstage app for verify-install: made by @backstage/create-app as Backstage's
// docs say, then installed with npm (its pinned Yarn 4 cannot resolve on this machine kind;
// see /work/shared/TOOLCHAIN.md for the measured fixes applied in useNpm).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const readJson = file => JSON.parse(fs.readFileSync(file, 'utf8'));
const writeJson = (file, json) =>
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);

export function sh(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...options,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}`;
  if (result.status !== 0) {
    const tail = output.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed:\n${tail}`);
  }
  return output;
}

/**
 * `npx @backstage/create-app@latest --skip-install --path <appDir>`, the name from
 * BACKSTAGE_APP_NAME (its prompt reads it). Its prerequisite check wants a `yarn` on PATH, so
 * Yarn 1 is installed into toolsDir first, as a stranger would have one.
 */
export function createApp(appDir, toolsDir, env) {
  fs.mkdirSync(toolsDir, { recursive: true });
  writeJson(path.join(toolsDir, 'package.json'), { private: true });
  sh(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', 'yarn@1.22.22'],
    { cwd: toolsDir, env },
  );
  const withYarn = {
    ...env,
    PATH: `${path.join(toolsDir, 'node_modules', '.bin')}${path.delimiter}${env.PATH}`,
    BACKSTAGE_APP_NAME: 'stranger-app',
  };
  sh(
    'npx',
    [
      '--yes',
      '@backstage/create-app@latest',
      '--skip-install',
      '--path',
      appDir,
    ],
    { cwd: path.dirname(appDir), env: withYarn, input: '' },
  );
  return readJson(path.join(appDir, 'backstage.json')).version;
}

/** Package name to tarball path, from the package.json inside each tarball of dir. */
export function tarballsByName(dir) {
  const byName = new Map();
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.tgz'))) {
    const full = path.join(dir, file);
    const json = JSON.parse(
      execFileSync('tar', ['-xzOf', full, 'package/package.json'], {
        encoding: 'utf8',
      }),
    );
    byName.set(json.name, full);
  }
  return byName;
}

/**
 * The documented `yarn --cwd <workspace> add <package>...` lines, from the tarballs: each named
 * package becomes a `file:` dependency of its workspace, and every packed package an override,
 * so the internal dependencies (docr-node, docr-common, digitalocean-openapi) come from the
 * tarballs too rather than from the registry.
 */
export function addTarballs(appDir, installs, tarballs) {
  for (const { workspace, packages } of installs) {
    const file = path.join(appDir, workspace, 'package.json');
    const json = readJson(file);
    for (const name of packages) {
      const tarball = tarballs.get(name);
      if (!tarball) throw new Error(`${name} was not packed`);
      json.dependencies[name] = `file:${tarball}`;
    }
    writeJson(file, json);
  }
  const rootFile = path.join(appDir, 'package.json');
  const root = readJson(rootFile);
  root.overrides = root.overrides ?? {};
  for (const [name, tarball] of tarballs) {
    root.overrides[name] = `file:${tarball}`;
  }
  writeJson(rootFile, root);
}

/** The TOOLCHAIN.md fixes that let npm workspaces install a create-app app. */
export function useNpm(appDir) {
  fs.writeFileSync(path.join(appDir, '.npmrc'), 'legacy-peer-deps=true\n');
  const rootFile = path.join(appDir, 'package.json');
  const root = readJson(rootFile);
  delete root.packageManager;
  root.overrides = { ...root.overrides, '@yarnpkg/core': '4.9.1' };
  // Yarn's `resolutions` (@types/react ^18) as root dependencies, which npm hoists: with 19
  // hoisted, tsc fails in react-markdown's types.
  root.devDependencies = {
    ...root.devDependencies,
    ...root.resolutions,
    react: '^18.3.1',
    'react-dom': '^18.3.1',
  };
  writeJson(rootFile, root);
  for (const parent of ['packages', 'plugins']) {
    const dir = path.join(appDir, parent);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name, 'package.json');
      if (!fs.existsSync(file)) continue;
      const json = readJson(file);
      for (const field of ['dependencies', 'devDependencies']) {
        for (const [dep, range] of Object.entries(json[field] ?? {})) {
          if (/^(link|workspace):/.test(range)) json[field][dep] = '*';
        }
      }
      writeJson(file, json);
    }
  }
  // `backstage-cli package build` of a backend looks for a yarn.lock; an empty one will do.
  const lock = path.join(appDir, 'yarn.lock');
  if (!fs.existsSync(lock)) fs.writeFileSync(lock, '');
}

/**
 * create-app's template can lag a Backstage release: @backstage/create-app 0.9.2 asks for
 * @backstage/backend-defaults ^0.18.0 while the plugins' caret ranges resolve to the release of
 * backend-defaults 0.19.0 (plugin-signals-backend 0.3.21 then fails: "httpRouter.
 * addWebSocketHandler is not a function"). Yarn installs from the seed yarn.lock create-app
 * fetches from GitHub, which is unreachable here; npm takes the newest, so the backend's
 * backend-defaults is raised to the registry's latest when its range excludes it.
 */
export function alignBackendDefaults(appDir, env, semver) {
  const file = path.join(appDir, 'packages', 'backend', 'package.json');
  const json = readJson(file);
  const name = '@backstage/backend-defaults';
  const range = json.dependencies[name];
  const latest = sh('npm', ['view', name, 'version'], { env }).trim();
  if (range && semver.valid(latest) && !semver.satisfies(latest, range)) {
    json.dependencies[name] = `^${latest}`;
    writeJson(file, json);
    return `${name} ${range} -> ^${latest}`;
  }
  return undefined;
}
