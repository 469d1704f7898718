#!/usr/bin/env node
// Checks that every publishable package packs as its users will install it:
//   node scripts/verify-pack.mjs [--keep-tarballs DIR] [package-dir...]   (./run verify-pack)
//
// --keep-tarballs DIR copies each tarball that passes its checks into DIR (verify-install uses it).
//
// 1. `backstage-cli repo fix --publish --check`: the Backstage metadata leaves nothing to fix.
// 2. `tsc` at the root (the declarations `backstage-cli package build` rolls up into dist/).
// 3. For each publishable package (every workspace package not "private", or the ones named):
//    `backstage-cli package build`, then `npm pack` into a temporary directory (which runs the
//    package's prepack and postpack scripts, `backstage-cli package prepack|postpack`), and
//    checks the tarball: its package.json's main/module/types/exports/typesVersions point into
//    dist/ at files it holds, nothing from src/, the compiled config schema where the package
//    has a config.d.ts, migrations/ and templates/ where the package has them, every `files`
//    entry present, the publishing metadata (repository, homepage, keywords, license,
//    prepack/postpack), internal dependency ranges that the workspace versions satisfy and no
//    private package among the runtime dependencies.
//
// Whatever happens (a failed build, a failed check, Ctrl-C), each package.json is put back byte
// for byte, the generated config.schema.json removed, and dist/ removed where the script
// created it (dist/ is gitignored). `npm pack` writes real tarballs rather than `--dry-run`
// because the checks read the packed package.json; they go to a temporary directory that is
// removed at the end.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const semver = require('semver');

const REPOSITORY_URL = 'https://github.com/backstage-docr/backstage-docr';
const bin = name => path.join(root, 'node_modules', '.bin', name);

const started = Date.now();
const seconds = since => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const failures = [];
const fail = (pkg, message) => failures.push(`${pkg}: ${message}`);

function run(command, args, cwd) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    ok: result.status === 0,
    stdout: result.stdout ?? '',
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`,
  };
}

// Workspace packages, by directory relative to the root.
function workspacePackages() {
  const rootPkg = JSON.parse(
    fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
  );
  const dirs = [];
  for (const pattern of rootPkg.workspaces) {
    const parent = pattern.replace(/\/\*$/, '');
    for (const name of fs.readdirSync(path.join(root, parent)).sort()) {
      const dir = `${parent}/${name}`;
      if (fs.existsSync(path.join(root, dir, 'package.json'))) dirs.push(dir);
    }
  }
  return dirs.map(dir => ({
    dir,
    json: JSON.parse(
      fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'),
    ),
  }));
}

// Restores what packing changes in a package directory, whatever state it was left in.
const restorers = new Map();
function guard(dir) {
  const abs = path.join(root, dir);
  const pkgPath = path.join(abs, 'package.json');
  const original = fs.readFileSync(pkgPath);
  const hadDist = fs.existsSync(path.join(abs, 'dist'));
  const hadSchema = fs.existsSync(path.join(abs, 'config.schema.json'));
  const restore = () => {
    fs.rmSync(path.join(abs, 'package.json-prepack'), { force: true });
    if (!fs.readFileSync(pkgPath).equals(original)) {
      fs.writeFileSync(pkgPath, original);
      console.log(`  restored ${dir}/package.json`);
    }
    if (!hadSchema) {
      fs.rmSync(path.join(abs, 'config.schema.json'), { force: true });
    }
    if (!hadDist) {
      fs.rmSync(path.join(abs, 'dist'), { recursive: true, force: true });
    }
    restorers.delete(dir);
  };
  restorers.set(dir, restore);
  return restore;
}
function restoreAll() {
  for (const restore of [...restorers.values()]) restore();
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    restoreAll();
    process.exit(130);
  });
}

function listFiles(dir, base = dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory()
      ? listFiles(full, base)
      : [path.relative(base, full).split(path.sep).join('/')];
  });
}

const inDist = target =>
  typeof target === 'string' && /^(\.\/)?dist\//.test(target);
const strip = target => target.replace(/^\.\//, '');

function checkPacked({ dir, json: source }, packed, files, extracted, all) {
  const name = source.name;
  const has = file => files.has(strip(file));

  // Entry points.
  for (const field of ['main', 'module', 'types']) {
    if (packed[field] === undefined) continue;
    if (!inDist(packed[field])) {
      fail(name, `packed "${field}" is ${packed[field]}, not in dist/`);
    } else if (!has(packed[field])) {
      fail(name, `packed "${field}" ${packed[field]} is not in the tarball`);
    }
  }
  if (!packed.main) fail(name, 'packed package.json has no "main"');
  if (!packed.types) fail(name, 'packed package.json has no "types"');
  const walkExports = (value, where) => {
    if (typeof value === 'string') {
      if (value === './package.json') return;
      if (!inDist(value)) fail(name, `packed exports ${where} is ${value}`);
      else if (!has(value))
        fail(name, `packed exports ${where} ${value} is missing`);
    } else if (value && typeof value === 'object') {
      for (const [key, sub] of Object.entries(value)) {
        // "backstage" is the feature type prepack detects (e.g. @backstage/BackendFeature).
        if (key === 'backstage') continue;
        walkExports(sub, `${where}.${key}`);
      }
    }
  };
  if (source.exports) {
    if (!packed.exports) fail(name, 'packed package.json lost "exports"');
    walkExports(packed.exports, '');
    for (const mount of Object.keys(source.exports)) {
      if (!packed.exports?.[mount]) {
        fail(name, `packed exports has no "${mount}"`);
      }
    }
  }
  for (const [key, targets] of Object.entries(
    packed.typesVersions?.['*'] ?? {},
  )) {
    for (const target of targets) {
      if (target !== 'package.json' && !(inDist(target) && has(target))) {
        fail(name, `packed typesVersions.${key} is ${target}`);
      }
    }
  }
  const fromSrc = [...files].filter(f => f.startsWith('src/'));
  if (fromSrc.length > 0) {
    fail(
      name,
      `the tarball holds src/ files (${fromSrc.slice(0, 3).join(', ')})`,
    );
  }
  if (packed.private) fail(name, 'packed package.json is private');

  // `files` entries (config.d.ts becomes config.schema.json, checked below).
  for (const entry of source.files ?? []) {
    if (entry === 'config.d.ts') continue;
    if (![...files].some(f => f === entry || f.startsWith(`${entry}/`))) {
      fail(name, `"files" lists ${entry} but the tarball has none of it`);
    }
  }

  // Configuration schema: prepack compiles config.d.ts into config.schema.json.
  const abs = path.join(root, dir);
  if (fs.existsSync(path.join(abs, 'config.d.ts'))) {
    if (source.configSchema !== 'config.d.ts') {
      fail(name, 'has config.d.ts but "configSchema" does not point at it');
    }
    if (!(source.files ?? []).includes('config.d.ts')) {
      fail(name, 'has config.d.ts but "files" does not list it');
    }
    if (packed.configSchema !== 'config.schema.json') {
      fail(name, `packed "configSchema" is ${packed.configSchema}`);
    } else if (!files.has('config.schema.json')) {
      fail(name, 'the tarball has no config.schema.json');
    } else {
      const schema = JSON.parse(
        fs.readFileSync(path.join(extracted, 'config.schema.json'), 'utf8'),
      );
      if (!schema.properties || Object.keys(schema.properties).length === 0) {
        fail(name, 'the packed config.schema.json declares no properties');
      }
    }
  } else if (source.configSchema) {
    fail(
      name,
      `"configSchema" is ${source.configSchema} but there is no config.d.ts`,
    );
  }

  // Directories read at run time.
  for (const sub of ['migrations', 'templates']) {
    const expected = listFiles(path.join(abs, sub)).map(f => `${sub}/${f}`);
    for (const file of expected) {
      if (!files.has(file)) fail(name, `${file} is not in the tarball`);
    }
  }
  if (
    source.backstage?.role === 'backend-plugin' &&
    fs.existsSync(path.join(abs, 'migrations'))
  ) {
    if (![...files].some(f => f.startsWith('migrations/'))) {
      fail(name, 'the tarball has no migrations/');
    }
  }
  if (fs.existsSync(path.join(abs, 'templates'))) {
    if (!files.has('templates/all.yaml')) {
      fail(
        name,
        'templates/all.yaml (the catalog Location) is not in the tarball',
      );
    }
  }

  // Publishing metadata.
  const scripts = source.scripts ?? {};
  if (scripts.prepack !== 'backstage-cli package prepack') {
    fail(name, 'no "prepack": "backstage-cli package prepack" script');
  }
  if (scripts.postpack !== 'backstage-cli package postpack') {
    fail(name, 'no "postpack": "backstage-cli package postpack" script');
  }
  const repo = packed.repository ?? {};
  if (
    repo.type !== 'git' ||
    repo.url !== REPOSITORY_URL ||
    repo.directory !== dir
  ) {
    fail(name, `"repository" is ${JSON.stringify(packed.repository)}`);
  }
  if (!packed.homepage) fail(name, 'no "homepage"');
  if (packed.license !== 'Apache-2.0')
    fail(name, `license is ${packed.license}`);
  for (const keyword of ['backstage', 'digitalocean']) {
    if (!(packed.keywords ?? []).includes(keyword)) {
      fail(name, `"keywords" lacks ${keyword}`);
    }
  }
  if (packed.publishConfig?.access !== 'public') {
    fail(name, 'publishConfig.access is not "public"');
  }
  if (!files.has('README.md')) fail(name, 'the tarball has no README.md');

  // Internal dependencies.
  const byName = new Map(all.map(p => [p.json.name, p.json]));
  for (const field of [
    'dependencies',
    'peerDependencies',
    'optionalDependencies',
    'devDependencies',
  ]) {
    for (const [dep, range] of Object.entries(packed[field] ?? {})) {
      const internal = byName.get(dep);
      if (!internal) continue;
      if (range === '*' || !semver.validRange(range)) {
        fail(name, `${field}.${dep} is "${range}", not a version range`);
      } else if (!semver.satisfies(internal.version, range)) {
        fail(
          name,
          `${field}.${dep} "${range}" excludes the workspace's ${internal.version}`,
        );
      }
      if (internal.private && field !== 'devDependencies') {
        fail(
          name,
          `${field}.${dep} is a private package, users cannot install it`,
        );
      }
    }
  }
}

// Loads the packed CommonJS entry point of a Node.js package in a fresh process: the built code
// holds everything it requires, and a backend plugin or module's default export is a feature.
const NODE_ROLES = [
  'backend-plugin',
  'backend-plugin-module',
  'node-library',
  'common-library',
];
function smokeLoad({ json: source }, packed, extracted) {
  const role = source.backstage?.role;
  if (!NODE_ROLES.includes(role) || !String(packed.main).endsWith('.cjs.js')) {
    return false;
  }
  const entry = path.join(extracted, packed.main);
  const script = `
    require(${JSON.stringify(require.resolve('@backstage/cli/config/nodeTransform.cjs'))});
    const m = require(${JSON.stringify(entry)});
    const role = ${JSON.stringify(role)};
    if (role.startsWith('backend-plugin')) {
      const type = m.default && m.default.$$type;
      if (type !== '@backstage/BackendFeature') {
        throw new Error('the default export is not a backend feature: ' + type);
      }
    } else if (Object.keys(m).length === 0) {
      throw new Error('exports nothing');
    }`;
  const load = run(process.execPath, ['-e', script], root);
  if (!load.ok) {
    fail(
      source.name,
      `the packed ${packed.main} does not load:\n${load.output}`,
    );
  }
  return load.ok;
}

function main() {
  const all = workspacePackages();
  const args = process.argv.slice(2);
  const keepAt = args.indexOf('--keep-tarballs');
  const keepDir = keepAt >= 0 ? path.resolve(args[keepAt + 1]) : undefined;
  if (keepAt >= 0) args.splice(keepAt, 2);
  if (keepDir) fs.mkdirSync(keepDir, { recursive: true });
  const named = args.map(d => d.replace(/\/$/, ''));
  const targets = all.filter(p =>
    named.length > 0 ? named.includes(p.dir) : !p.json.private,
  );
  for (const dir of named) {
    const pkg = all.find(p => p.dir === dir);
    if (!pkg) throw new Error(`${dir} is not a workspace package`);
    if (pkg.json.private) throw new Error(`${dir} is private and never packed`);
  }
  console.log(`Packages: ${targets.map(p => p.dir).join(', ')}`);

  let step = Date.now();
  console.log('\n==> backstage-cli repo fix --publish --check');
  const fix = run(
    bin('backstage-cli'),
    ['repo', 'fix', '--publish', '--check'],
    root,
  );
  if (!fix.ok)
    fail(
      'repo',
      `backstage-cli repo fix --publish has changes to make:\n${fix.output}`,
    );
  console.log(`    ${fix.ok ? 'nothing to fix' : 'FAILED'} (${seconds(step)})`);

  step = Date.now();
  console.log('\n==> tsc (declarations into dist-types/)');
  const tsc = run(bin('tsc'), ['-p', 'tsconfig.json'], root);
  // Type errors are the type check's business (./run test); the declarations are emitted all the
  // same, and a package whose declarations are missing fails its build below.
  console.log(
    `    ${tsc.ok ? 'ok' : 'type errors (declarations emitted anyway; see npx tsc --noEmit)'} (${seconds(step)})`,
  );

  // Under the root's node_modules, so that a packed package loaded from there resolves its
  // dependencies as it would in an app (internal ones through the Backstage transform).
  fs.mkdirSync(path.join(root, 'node_modules', '.cache'), { recursive: true });
  const tmp = fs.mkdtempSync(
    path.join(root, 'node_modules', '.cache', 'verify-pack-'),
  );
  try {
    for (const pkg of targets) {
      step = Date.now();
      const name = pkg.json.name;
      console.log(`\n==> ${pkg.dir} (${name})`);
      const cwd = path.join(root, pkg.dir);
      const restore = guard(pkg.dir);
      try {
        const build = run(bin('backstage-cli'), ['package', 'build'], cwd);
        if (!build.ok) {
          fail(name, `backstage-cli package build failed:\n${build.output}`);
          continue;
        }
        const dest = path.join(tmp, pkg.dir.replace('/', '-'));
        fs.mkdirSync(dest, { recursive: true });
        // Runs prepack (rewrites package.json for publishing) and postpack (puts it back).
        const pack = run(
          'npm',
          ['pack', '--json', '--pack-destination', dest],
          cwd,
        );
        if (!pack.ok) {
          fail(name, `npm pack failed:\n${pack.output}`);
          continue;
        }
        const report = JSON.parse(
          pack.stdout.slice(pack.stdout.search(/^\[/m)),
        )[0];
        const files = new Set(report.files.map(f => f.path));
        const extracted = path.join(dest, 'package');
        execFileSync('tar', [
          '-xzf',
          path.join(dest, report.filename),
          '-C',
          dest,
        ]);
        const packed = JSON.parse(
          fs.readFileSync(path.join(extracted, 'package.json'), 'utf8'),
        );
        if (fs.existsSync(path.join(cwd, 'package.json-prepack'))) {
          fail(name, 'postpack left package.json-prepack behind');
        }
        const before = failures.length;
        checkPacked(pkg, packed, files, extracted, all);
        const loaded =
          failures.length === before && smokeLoad(pkg, packed, extracted);
        if (keepDir && failures.length === before) {
          fs.copyFileSync(
            path.join(dest, report.filename),
            path.join(keepDir, report.filename),
          );
        }
        console.log(
          `    ${failures.length === before ? 'ok' : 'FAILED'}: ${files.size} files, ${(report.size / 1024).toFixed(0)} kB packed${loaded ? ', loads' : ''} (${seconds(step)})`,
        );
      } finally {
        restore();
      }
    }
  } finally {
    restoreAll();
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  // Nothing of the packing may be left for git to see: package.json files were restored byte for
  // byte above; dist/ must stay ignored and untracked.
  const tracked = run(
    'git',
    ['ls-files', '--', ...targets.map(p => `${p.dir}/dist`)],
    root,
  ).stdout.trim();
  if (tracked) fail('repo', `dist/ files are tracked by git:\n${tracked}`);
  const leftovers = run(
    'git',
    [
      'status',
      '--porcelain',
      '--untracked-files=all',
      '--',
      ...targets.map(p => p.dir),
    ],
    root,
  )
    .stdout.split('\n')
    .filter(line =>
      /(package\.json-prepack|config\.schema\.json|\/dist\/)/.test(line),
    );
  if (leftovers.length > 0) {
    fail('repo', `packing left files behind:\n${leftovers.join('\n')}`);
  }

  console.log('');
  if (failures.length > 0) {
    console.log(
      `verify-pack: ${failures.length} problem(s) in ${seconds(started)}:`,
    );
    for (const f of failures) console.log(`  - ${f}`);
    process.exitCode = 1;
  } else {
    console.log(
      `verify-pack: ${targets.length} packages pack correctly (${seconds(started)})`,
    );
  }
}

try {
  main();
} catch (error) {
  restoreAll();
  console.error(`verify-pack: ${error.stack ?? error}`);
  process.exitCode = 1;
}
