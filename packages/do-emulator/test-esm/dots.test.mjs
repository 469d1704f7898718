// DigitalOcean's official TypeScript SDK, @digitalocean/dots, pointed at the emulator, works
// unchanged for the registry, DOKS and App Platform calls. dots is ESM-only, so this suite runs on
// node:test against the emulator's own command (started as a user would start it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { FetchRequestAdapter } from '@microsoft/kiota-http-fetchlibrary';
import {
  createDigitalOceanClient,
  DigitalOceanApiKeyAuthenticationProvider,
} from '@digitalocean/dots';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, '../bin/do-emulator');
const seed = path.resolve(here, '../seeds/demo.yaml');
const TOKEN = 'dots-test-token';
const PROD_CLUSTER = '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02';

let emulator;
let url;
let client;

before(async () => {
  emulator = spawn(
    process.execPath,
    [
      bin,
      '--port',
      '0',
      '--seed',
      seed,
      '--token',
      TOKEN,
      '--gc-step-ms',
      '100',
      '--validate-responses',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  url = await new Promise((resolve, reject) => {
    let out = '';
    emulator.stdout.on('data', chunk => {
      out += chunk;
      const match = out.match(/do-emulator listening on (\S+)/);
      if (match) resolve(match[1]);
    });
    emulator.on('exit', code =>
      reject(new Error(`emulator exited with ${code}`)),
    );
  });
  const adapter = new FetchRequestAdapter(
    new DigitalOceanApiKeyAuthenticationProvider(TOKEN),
  );
  adapter.baseUrl = url;
  client = createDigitalOceanClient(adapter);
});

after(() => emulator?.kill('SIGTERM'));

test('lists, gets and creates registries', async () => {
  const list = await client.v2.registries.get();
  assert.deepEqual(
    list.registries.map(r => r.name),
    ['acme-dev', 'acme-prod', 'acme-staging'],
  );
  assert.equal(list.registries[0].subscription.tier.slug, 'professional');
  const created = await client.v2.registries.post({
    name: 'dots-made',
    region: 'fra1',
  });
  assert.equal(created.registry.name, 'dots-made');
  const fetched = await client.v2.registries.byRegistry_name('dots-made').get();
  assert.equal(fetched.registry.region, 'fra1');
  assert.ok(fetched.registry.storageUsageBytes === 0);
});

test('reads options and subscription', async () => {
  const options = await client.v2.registries.optionsPath.get();
  assert.deepEqual(
    options.options.subscriptionTiers.map(t => t.slug),
    ['starter', 'basic', 'professional'],
  );
  assert.equal(options.options.subscriptionTiers[1].monthlyPriceInCents, 500);
  const subscription = await client.v2.registries.subscription.get();
  assert.equal(subscription.subscription.tier.slug, 'professional');
});

test('runs and lists garbage collections', async () => {
  const gc = await client.v2.registries
    .byRegistry_name('acme-dev')
    .garbageCollection.post();
  assert.equal(gc.garbageCollection.status, 'requested');
  const active = await client.v2.registries
    .byRegistry_name('acme-dev')
    .garbageCollection.get();
  assert.equal(active.garbageCollection.uuid, gc.garbageCollection.uuid);
  const list = await client.v2.registries
    .byRegistry_name('acme-dev')
    .garbageCollections.get();
  assert.equal(list.garbageCollections[0].uuid, gc.garbageCollection.uuid);
});

test('integrates registries with DOKS clusters', async () => {
  const clusters = await client.v2.kubernetes.clusters.get();
  assert.deepEqual(
    clusters.kubernetesClusters.map(c => c.name),
    ['prod-ams3', 'staging-fra1'],
  );
  await client.v2.kubernetes.registries.post({
    clusterUuids: [PROD_CLUSTER],
    registries: ['dots-made'],
  });
  const cluster = await client.v2.kubernetes.clusters
    .byCluster_id(PROD_CLUSTER)
    .get();
  assert.equal(cluster.kubernetesCluster.registryEnabled, true);
  assert.deepEqual(cluster.kubernetesCluster.registries, [
    'acme-prod',
    'dots-made',
  ]);
});

test('reads the demo’s App Platform apps and their deployments', async () => {
  const list = await client.v2.apps.get();
  const names = list.apps.map(a => a.spec.name);
  assert.deepEqual(names, [
    'shop-api',
    'shop-web',
    'staging-web',
    'status-page',
  ]);
  const shopWeb = list.apps.find(a => a.spec.name === 'shop-web');
  assert.equal(shopWeb.activeDeployment.phase, 'ACTIVE');
  const image = shopWeb.spec.services[0].image;
  assert.equal(image.registryType, 'DOCR');
  assert.equal(image.registry, 'acme-prod');
  assert.equal(image.tag, 'v1.4.2');
  const app = await client.v2.apps.byApp_Id(shopWeb.id).get();
  assert.equal(app.app.liveUrl, shopWeb.liveUrl);
  const deployments = await client.v2.apps
    .byApp_Id(shopWeb.id)
    .deployments.get();
  assert.deepEqual(
    deployments.deployments.map(d => d.phase),
    ['ACTIVE', 'SUPERSEDED'],
  );
  const previous = await client.v2.apps
    .byApp_Id(shopWeb.id)
    .deployments.byDeployment_id(deployments.deployments[1].id)
    .get();
  assert.equal(previous.deployment.spec.services[0].image.tag, 'v1.4.1');
});

test('surfaces DigitalOcean errors', async () => {
  await assert.rejects(
    client.v2.registries.byRegistry_name('missing').get(),
    error => {
      assert.equal(error.responseStatusCode, 404);
      return true;
    },
  );
});
