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
import { checkPacked } from './lib/packChecks.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

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
        checkPacked({ root, fail }, pkg, packed, files, extracted, all);
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
