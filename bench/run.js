#!/usr/bin/env node
/* eslint-disable */
// Runs every bench/*.bench.ts (or the ones named on the command line) through Backstage's
// TypeScript transform and prints their figures. Benchmarks print numbers; they assert nothing.
const fs = require('node:fs');
const path = require('node:path');

require('@backstage/cli/config/nodeTransform.cjs');

async function main() {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter(f => f.endsWith('.bench.ts') || f.endsWith('.bench.mjs'))
    .filter(f => !only.length || only.some(o => f.includes(o)))
    .sort();
  for (const file of files) {
    console.log(`\n## ${file}`);
    const bench = file.endsWith('.mjs')
      ? await import(path.join(__dirname, file))
      : require(path.join(__dirname, file));
    await bench.run();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
