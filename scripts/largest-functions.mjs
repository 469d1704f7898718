#!/usr/bin/env node
/**
 * Prints the largest functions of the workspace's source, outside generated code and tests:
 * `node scripts/largest-functions.mjs [--top 10] [--max 80]`. With `--max`, it exits 1 when a
 * function is longer than that many lines (lines from its first to its last, comments included).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_ROOTS = ['packages', 'plugins'];
const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  'dist-types',
  'generated',
  '__tests__',
  '__testUtils__',
  '__fixtures__',
]);
// Test helpers beside their tests are named test*.ts (testGraph.ts).
const isTest = name =>
  /\.test\.tsx?$/.test(name) ||
  /^test[A-Z]/.test(name) ||
  name.endsWith('.d.ts');

function arg(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name))
        yield* sourceFiles(path.join(dir, entry.name));
    } else if (/\.tsx?$/.test(entry.name) && !isTest(entry.name)) {
      yield path.join(dir, entry.name);
    }
  }
}

/** The name a reader would look for: the function's, its variable's or its property's. */
function nameOf(node) {
  if (node.name) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (
    parent &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) &&
    parent.name
  )
    return parent.name.getText();
  return '(anonymous)';
}

function functionsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = node => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({
        file: path.relative(root, file),
        line: start + 1,
        name: nameOf(node),
        lines: end - start + 1,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const top = arg('--top', 10);
const max = arg('--max', undefined);
const all = SOURCE_ROOTS.flatMap(dir =>
  fs
    .readdirSync(path.join(root, dir))
    .map(pkg => path.join(root, dir, pkg, 'src'))
    .filter(src => fs.existsSync(src))
    .flatMap(src => [...sourceFiles(src)].flatMap(functionsOf)),
).sort((a, b) => b.lines - a.lines);

for (const f of all.slice(0, top)) {
  console.log(`${String(f.lines).padStart(5)}  ${f.name}  ${f.file}:${f.line}`);
}
if (max !== undefined) {
  const over = all.filter(f => f.lines > max);
  console.log(
    over.length
      ? `${over.length} functions over ${max} lines`
      : `No function over ${max} lines`,
  );
  process.exitCode = over.length ? 1 : 0;
}
