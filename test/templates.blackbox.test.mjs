// Every template of the scaffolder module, through the running portal's REST API (as a user's
// browser or a script would: /api/scaffolder/v2/tasks and /dry-run, signed in as guest), on the
// demo account and on an empty Starter account. DigitalOcean is the portal's emulator; its
// request log shows what each run asked of DigitalOcean.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { EMULATOR, root, startPortal } from './support/portal.mjs';

const BACKEND = 'http://localhost:7007';
const CLUSTER = {
  id: '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02',
  name: 'prod-ams3',
  region: 'ams3',
};
/** What reads DigitalOcean without changing it (validate-name is a POST that changes nothing). */
const READ_ONLY = /(^|_)(get|list)(_|$)|_validate_name$/;

let portal;
let token;

async function api(method, pathname, body) {
  const res = await fetch(`${BACKEND}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function emulator(method, pathname, body) {
  const res = await fetch(`${EMULATOR}${pathname}`, {
    method,
    headers: {
      authorization: 'Bearer blackbox',
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

const registryNames = async () =>
  (await emulator('GET', '/v2/registries')).registries.map(r => r.name).sort();
const tier = async () =>
  (await emulator('GET', '/v2/registries/subscription')).subscription?.tier
    ?.slug;

async function runTemplate(name, values) {
  const created = await api('POST', '/api/scaffolder/v2/tasks', {
    templateRef: `template:default/${name}`,
    values,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const started = Date.now();
  for (;;) {
    const task = await api(
      'GET',
      `/api/scaffolder/v2/tasks/${created.body.id}`,
    );
    if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
      if (task.body.status !== 'completed') {
        const events = await api(
          'GET',
          `/api/scaffolder/v2/tasks/${created.body.id}/events`,
        );
        const log = events.body
          .map(e => e.body?.message)
          .filter(Boolean)
          .join('\n');
        assert.fail(`${name} ended ${task.body.status}:\n${log}`);
      }
      return task.body;
    }
    if (Date.now() - started > 120_000) assert.fail(`${name} did not end`);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

/** Dry-runs a template from the catalog; returns its log and DigitalOcean's operations. */
async function dryRun(name, values) {
  const template = await api(
    'GET',
    `/api/catalog/entities/by-name/template/default/${name}`,
  );
  assert.equal(template.status, 200);
  await emulator('DELETE', '/_emulator/requests');
  const res = await api('POST', '/api/scaffolder/v2/dry-run', {
    template: template.body,
    values,
    secrets: {},
    directoryContents: [],
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const operations = Object.keys(
    (await emulator('GET', '/_emulator/requests')).byOperation,
  );
  return {
    log: res.body.log.map(l => l.body.message).join('\n'),
    operations,
  };
}

/** Each template with values that suit an account (names get the suffix, unique per account). */
const templates = suffix => [
  [
    'docr-dev-registry',
    { name: `dev-${suffix}`, region: 'fra1', gcDay: 'sun' },
  ],
  [
    'docr-staging-registry',
    {
      name: `staging-${suffix}`,
      region: 'ams3',
      timezone: 'Europe/Berlin',
      allowTierRaise: true,
    },
  ],
  [
    'docr-registry-with-doks',
    {
      name: `apps-${suffix}`,
      tier: 'basic',
      region: 'ams3',
      clusters: [CLUSTER.name],
      gcTimezone: 'UTC',
      allowTierRaise: true,
    },
  ],
  [
    'docr-production-registries',
    {
      name: `prod-${suffix}`,
      primaryRegion: 'fra1',
      secondaryRegion: 'ams3',
      timezone: 'Europe/Berlin',
      allowTierRaise: true,
    },
  ],
];

before(async () => {
  portal = await startPortal({
    logFile: path.join(root, 'test-results', 'blackbox-portal.log'),
    backendOnly: true,
  });
  const res = await fetch(`${BACKEND}/api/auth/guest/refresh`);
  token = (await res.json()).backstageIdentity.token;
  // The templates are registered from the top-level templates/ (app-config.yaml's location);
  // creating a registry is a permission on the account's subscription entity, which the
  // DigitalOcean provider emits on its first refresh (a few seconds after start, longer on a
  // busy machine): the templates are run once both are in the catalog.
  for (const ref of [
    'template/default/docr-dev-registry',
    'resource/default/do-registry-subscription-default',
  ]) {
    const started = Date.now();
    while (
      (await api('GET', `/api/catalog/entities/by-name/${ref}`)).status !== 200
    ) {
      if (Date.now() - started > 180_000)
        assert.fail(`${ref} not in the catalog`);
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
  }
});

after(() => portal?.stop());

for (const [account, seed] of [
  ['the demo account (Professional, three registries)', undefined],
  [
    'an empty Starter account',
    {
      account: { subscriptionTier: 'starter' },
      clusters: [{ ...CLUSTER, registries: [] }],
    },
  ],
]) {
  describe(`every template on ${account}`, () => {
    before(async () => {
      if (seed) await emulator('PUT', '/_emulator/seed', seed);
    });

    test('the dry runs ask DigitalOcean nothing that changes state, and say the price', async () => {
      for (const [name, values] of templates('dry')) {
        const { log, operations } = await dryRun(name, values);
        const mutating = operations.filter(op => !READ_ONLY.test(op));
        assert.deepEqual(mutating, [], `${name} dry run called ${mutating}`);
        assert.match(
          log,
          /\$\d+\.\d\d/,
          `${name}: no monthly price in the log`,
        );
      }
      assert.deepEqual(
        (await registryNames()).filter(n => n.includes('dry')),
        [],
      );
    });

    test('each template runs to completion; the tier is never lowered', async () => {
      const suffix = seed ? 'empty' : 'demo';
      const tiers = ['starter', 'basic', 'professional'];
      for (const [name, values] of templates(suffix)) {
        const before = tiers.indexOf(await tier());
        await runTemplate(name, values);
        assert.ok(
          tiers.indexOf(await tier()) >= before,
          `${name} lowered the tier`,
        );
      }
      const names = await registryNames();
      for (const expected of [
        `dev-${suffix}`,
        `staging-${suffix}`,
        `apps-${suffix}`,
        `prod-${suffix}-fra1`,
        `prod-${suffix}-ams3`,
      ]) {
        assert.ok(names.includes(expected), `${expected} missing: ${names}`);
      }
      const cluster = await emulator(
        'GET',
        `/v2/kubernetes/clusters/${CLUSTER.id}`,
      );
      assert.ok(
        cluster.kubernetes_cluster.registries.includes(`apps-${suffix}`),
        'the DOKS template integrated its cluster',
      );
    });
  });
}
