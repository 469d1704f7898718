#!/usr/bin/env bash
# The test command: generated code up to date, types, API and SQL reports, lint, formatting,
# then every test suite.
# Prints a closing line "N passed, N failed" summed over all suites.
set -euo pipefail
cd "$(dirname "$0")/.."

export CI=true
# Database tests use the machine's PostgreSQL (trust auth) and never Docker.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

# Each step says how long the one before it took, so a slow step shows in any CI log.
step_started=$SECONDS
step() {
  echo "    ($((SECONDS - step_started)) s)"
  step_started=$SECONDS
  echo; echo "==> $*"
}

step "OpenAPI types are what the spec generates"
node packages/digitalocean-openapi/scripts/generate.js --check
step "The docr REST API's code is what its OpenAPI spec generates (npm run generate:openapi)"
# plugins/docr-backend/src/schema/openapi.yaml describes /api/docr; the backend's router and types
# and docr-common's client and models are generated from it (names each stale file).
node scripts/openapi/generate.mjs --check
step "Type check"
# Emits declarations only (emitDeclarationOnly), into dist-types/ (git-ignored), which the
# API report check reads.
npx tsc -p .
step "API and SQL reports are up to date (npm run build:api-reports updates them)"
# The SQL reports (report.sql.md of packages with migrations/) run every migration up and down in
# PGlite, in-process: no database server needed.
if ! npm run --silent build:api-reports:only -- --ci; then
  echo "API or SQL reports are out of date (a public API or a migration changed): run" >&2
  echo "  npm run build:api-reports" >&2
  echo "and commit the updated report.api.md / report.sql.md files." >&2
  exit 1
fi
step "Lint"
npx backstage-cli repo lint
step "Formatting"
npx prettier --check . --log-level warn

step "Debian's Chromium for the portal test, skopeo for the OCI client test"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
  else
    echo "Missing ${missing[*]} and this user cannot install it: sudo apt-get install ${missing[*]}" >&2
  fi
fi
chromium --version
skopeo --version || echo "skopeo is missing: the emulator's OCI client test is skipped" >&2

# The node:test suites (DigitalOcean's SDK against the emulator, the portal in a browser) run
# beside Jest: they mostly wait for the portal (its GC ticks, catalog refreshes, page polls) while
# Jest keeps the cores busy; one after the other took ~15 minutes on a busy 2-core machine. Their
# output is printed once Jest is done. They use ports 3000, 7007, 4010 and 4012; no Jest test
# listens on a fixed port.
step "Jest suites (backstage-cli repo test), the node:test suites beside them"
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$results/node.tap" \
  "packages/do-emulator/test-esm/*.test.mjs" "test/*.test.mjs" >"$results/node.out" 2>&1 &
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null || true; rm -rf "$results"' EXIT
node_started=$SECONDS
jest_status=0
npx backstage-cli repo test --json --outputFile="$results/jest.json" || jest_status=$?

step "node:test suites: DigitalOcean's SDK against the emulator, the portal in a browser"
node_status=0
wait "$node_pid" || node_status=$?
cat "$results/node.out"
echo "(node:test suites, started beside Jest: $((SECONDS - node_started)) s)"

node - "$results" <<'JS'
const fs = require('node:fs');
const dir = process.argv[2];
let passed = 0, failed = 0, skipped = 0;
try {
  const jest = JSON.parse(fs.readFileSync(`${dir}/jest.json`, 'utf8'));
  passed += jest.numPassedTests; failed += jest.numFailedTests + (jest.numRuntimeErrorTestSuites || 0);
  skipped += jest.numPendingTests + jest.numTodoTests;
} catch (e) { failed += 1; console.error(`No Jest results: ${e.message}`); }
try {
  const tap = fs.readFileSync(`${dir}/node.tap`, 'utf8');
  const count = key => Number((tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm')) || [])[1] || 0);
  passed += count('pass'); failed += count('fail'); skipped += count('skipped');
} catch (e) { failed += 1; console.error(`No node:test results: ${e.message}`); }
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
JS

echo "(the whole test command: $SECONDS s)"
if [ "$jest_status" -ne 0 ] || [ "$node_status" -ne 0 ]; then
  exit 1
fi
