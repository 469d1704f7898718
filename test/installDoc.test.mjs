// The README's install section is what `./run verify-install` applies (docs/install.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './support/portal.mjs';

const read = file => fs.readFileSync(path.join(root, file), 'utf8');

test('the README’s install section is docs/install.md, line for line', () => {
  const doc = read('docs/install.md').split('\n').slice(1).join('\n').trim();
  const readme = read('README.md');
  const start = readme.indexOf('## Install in a Backstage app');
  assert.ok(start >= 0, 'the README has an install section');
  const end = readme.indexOf('\n## ', start + 3);
  const section = readme
    .slice(start, end)
    .split('\n')
    .slice(1)
    .filter(line => !line.startsWith('<!--'))
    .join('\n')
    .trim();
  assert.equal(section, doc);
});

test('the README stays a newcomer’s page: under 8 KB, every docs page linked from it', () => {
  const readme = read('README.md');
  assert.ok(
    Buffer.byteLength(readme) < 8 * 1024,
    `README.md is ${Buffer.byteLength(readme)} bytes`,
  );
  const pages = fs
    .readdirSync(path.join(root, 'docs'))
    .filter(file => file.endsWith('.md'));
  const unlinked = pages.filter(file => !readme.includes(`](docs/${file})`));
  assert.deepEqual(unlinked, []);
});
