#!/usr/bin/env node
// The software templates live in the repository's top-level templates/; the scaffolder module's
// package ships a copy of them, made when it is packed and removed after:
//   node ../../scripts/pack-templates.mjs copy     (prepack, run in the package's directory)
//   node ../../scripts/pack-templates.mjs remove   (postpack)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const source = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'templates',
);
const target = path.resolve(process.cwd(), 'templates');
const [command] = process.argv.slice(2);

if (target === source) {
  throw new Error('Run it from the package directory, not the repository root');
}
if (command === 'copy') {
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(source, target, { recursive: true });
} else if (command === 'remove') {
  fs.rmSync(target, { recursive: true, force: true });
} else {
  throw new Error(`Usage: pack-templates.mjs copy|remove (got ${command})`);
}
