// The checks verify-pack makes on one packed package: entry points in dist/, nothing from src/,
// the config schema, migrations, templates, `files`, publishing metadata and dependency ranges.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(import.meta.url));
const semver = require('semver');

export const REPOSITORY_URL =
  'https://github.com/backstage-docr/backstage-docr';

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

export function checkPacked(
  { root, fail },
  { dir, json: source },
  packed,
  files,
  extracted,
  all,
) {
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
  // The scaffolder module ships a copy of the top-level templates/, made by its prepack.
  if ((source.files ?? []).includes('templates')) {
    const topLevel = listFiles(path.join(root, 'templates'));
    for (const file of topLevel) {
      if (!files.has(`templates/${file}`)) {
        fail(
          name,
          `templates/${file} (from the top-level templates/) is not in the tarball`,
        );
      }
    }
    if (!files.has('templates/all.yaml')) {
      fail(
        name,
        'templates/all.yaml (the catalog Location) is not in the tarball',
      );
    }
  }

  // Publishing metadata.
  const scripts = source.scripts ?? {};
  if (
    !/(^|&& )backstage-cli package prepack( &&|$)/.test(scripts.prepack ?? '')
  ) {
    fail(
      name,
      'its "prepack" script does not run "backstage-cli package prepack"',
    );
  }
  if (
    !/(^|&& )backstage-cli package postpack( &&|$)/.test(scripts.postpack ?? '')
  ) {
    fail(
      name,
      'its "postpack" script does not run "backstage-cli package postpack"',
    );
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
  if (!files.has('CHANGELOG.md')) {
    fail(name, 'the tarball has no CHANGELOG.md (add it to "files")');
  }

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
