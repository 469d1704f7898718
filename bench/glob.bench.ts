import { performance } from 'node:perf_hooks';
import { selectTagsForDeletion } from '@backstage-docr/plugin-docr-common';
// Not exported by the package: the bench measures the matcher itself.
import { matchesGlob } from '../plugins/docr-common/src/retention';

const TAG = 128; // DigitalOcean's longest tag
const TAGS = 200;
const tags = {
  'a×128': 'a'.repeat(TAG),
  'a×127 then b': `${'a'.repeat(TAG - 1)}b`,
  'random hex': Array.from({ length: TAG }, (_, i) =>
    ((i * 7919) % 16).toString(16),
  ).join(''),
};

/** 128-character patterns: the worst the schema allows (16 stars) and worse (64 stars). */
const patterns = {
  '*a ×63 then *b (64 stars)': `${'*a'.repeat(63)}*b`,
  '*a ×16 then a ×95, b (16 stars)': `${'*a'.repeat(16)}${'a'.repeat(95)}b`,
  '* then a ×126, b (1 star)': `*${'a'.repeat(126)}b`,
  '(* then ? ×7) ×16 (16 stars)': `*${'?'.repeat(7)}`.repeat(16),
};

/** Microseconds per match, over enough matches to take about 100 ms. */
function microsPerMatch(pattern: string, name: string): number {
  let runs = 100;
  for (;;) {
    const started = performance.now();
    for (let i = 0; i < runs; i++) matchesGlob(pattern, name);
    const ms = performance.now() - started;
    if (ms > 100) return (ms * 1000) / runs;
    runs *= 4;
  }
}

/** What the regular expression matchesGlob compiled to before took for `*a` ×k then `*b`. */
function regexMillis(stars: number, length: number): number {
  const regex = new RegExp(`^${'.*a'.repeat(stars - 1)}.*b$`);
  const started = performance.now();
  regex.test('a'.repeat(length));
  return performance.now() - started;
}

export async function run() {
  console.log('matchesGlob, µs per match of a 128-character pattern:');
  for (const [patternName, pattern] of Object.entries(patterns)) {
    const cells = Object.entries(tags).map(
      ([tagName, tag]) =>
        `${tagName} ${microsPerMatch(pattern, tag).toFixed(2)} µs (${matchesGlob(pattern, tag)})`,
    );
    console.log(`  ${patternName.padEnd(34)} ${cells.join('   ')}`);
  }

  // Near a preview's worst within the schema: 50 protect patterns of 16 stars on long tags.
  const rule = {
    keepNewest: 1,
    protect: Array.from(
      { length: 50 },
      (_, i) => `${'*a'.repeat(16)}${'a'.repeat(94)}${i % 10}`,
    ),
  };
  const now = new Date('2026-11-23T12:00:00Z');
  const longTags = Array.from({ length: TAGS }, (_, i) => ({
    repository: 'web',
    tag: `${'a'.repeat(TAG - 4)}${String(i).padStart(4, 'b')}`,
    updatedAt: new Date(now.getTime() - i * 60_000),
  }));
  const started = performance.now();
  selectTagsForDeletion(longTags, [rule], now);
  const ms = performance.now() - started;
  console.log(
    `selectTagsForDeletion, ${TAGS} tags of 128 characters (a×124, then bbb0…) × 50 such patterns: ${ms.toFixed(0)} ms, ${((ms * 1000) / (TAGS * 50)).toFixed(1)} µs per match`,
  );

  console.log(
    'The RegExp matchesGlob compiled before, `*a` ×(k-1) then `*b` against a×n (no match):',
  );
  for (const [stars, length] of [
    [4, 128],
    [6, 32],
    [6, 48],
    [6, 64],
    [8, 32],
    [8, 40],
  ])
    console.log(
      `  k=${stars} stars, n=${length}: ${regexMillis(stars, length).toFixed(1)} ms`,
    );
}
