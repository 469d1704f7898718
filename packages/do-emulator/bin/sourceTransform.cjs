/* eslint-disable */
// Runs the emulator's TypeScript source in the repository as Backstage's node transform
// (@backstage/cli/config/nodeTransform.cjs) does: swc to CommonJS, with the same options. Each
// file's output is cached on disk by its content, and V8's compile cache is on, so a start with
// the cache warm loads neither swc nor Backstage's ES module loader thread (about 120 ms of a
// 2-core machine's start): the emulator listens about 0.2 s after its process is spawned.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { addHook } = require('pirates');

const OPTIONS = {
  sourceMaps: 'inline',
  module: { type: 'commonjs', ignoreDynamic: true },
  jsc: { target: 'es2023', parser: { syntax: 'typescript' } },
};
const cacheDir = path.join(
  path.dirname(require.resolve('pirates/package.json')),
  '..',
  '.cache',
  'do-emulator',
);

require('node:module').enableCompileCache?.(path.join(cacheDir, 'v8'));

const swcVersion = require('@swc/core/package.json').version;

function transform(code, filename) {
  const key = crypto
    .createHash('sha256')
    .update(JSON.stringify([swcVersion, OPTIONS, filename]))
    .update(code)
    .digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  const output = require('@swc/core').transformSync(code, {
    ...OPTIONS,
    filename,
  }).code;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}`;
    fs.writeFileSync(temporary, output);
    fs.renameSync(temporary, cached);
  } catch {
    // a read-only checkout runs without the cache
  }
  return output;
}

addHook(transform, { extensions: ['.ts'], ignoreNodeModules: true });
