import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { Portal, USERS, startPortal } from '../__testUtils__/portal';

const FIXTURES = path.resolve(__dirname, '../__fixtures__/test-templates.yaml');
const STARTUP_TIMEOUT = 120_000;
const TEST_TIMEOUT = 90_000;

/**
 * Team A (USERS.outsider) registers `resource:default/docr-claimed`, owned by its group, from a
 * location before the registry exists; the platform team then creates `claimed` in the default
 * account, whose entities the provider gives group:default/platform. The catalog keeps team A's
 * entity (it holds the ref), and the shipped policy gives it nothing.
 */
describe('a look-alike registry entity registered from a location', () => {
  let emulator: DoEmulator;
  let portal: Portal;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-look-alike-'));
    const lookAlike = path.join(dir, 'claimed.yaml');
    fs.writeFileSync(
      lookAlike,
      `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: docr-claimed
  annotations:
    digitalocean.com/registry-name: claimed
    backstage.io/managed-by-location: digitalocean:default
spec: { type: container-registry, owner: group:default/team-a }
`,
    );
    emulator = await DoEmulator.start({
      validateResponses: true,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [{ name: 'platform-apps', region: 'ams3' }],
      },
    });
    portal = await startPortal({
      emulatorUrl: emulator.url,
      locations: [lookAlike, FIXTURES],
    });
    await portal.waitFor(
      () =>
        portal.api.get(
          '/api/catalog/entities/by-name/resource/default/docr-claimed',
        ),
      res => res.status === 200,
      60_000,
    );
    await portal.waitForRegistryEntity('platform-apps');
    // The platform team creates the registry in DigitalOcean; whenever the provider emits its
    // entity, that loses the ref to team A's (the catalog module's own test shows it).
    emulator.account.createRegistry({ name: 'claimed', region: 'ams3' });
    await portal.api.post('/api/catalog/digitalocean/refresh', {});
  }, STARTUP_TIMEOUT);

  afterAll(async () => {
    await portal?.stop();
    await emulator?.stop();
  }, STARTUP_TIMEOUT);

  it(
    'grants its owner no GC, policy or push credentials on the real registry (403 naming the permission), and DigitalOcean sees no change',
    async () => {
      const held = await portal.api.get(
        '/api/catalog/entities/by-name/resource/default/docr-claimed',
      );
      expect(held.body.spec.owner).toBe('group:default/team-a');
      emulator.requests.reset();
      const issued = emulator.account.issuedCredentials.length;
      const alice = portal.as(USERS.outsider);

      const gc = await alice.post('/api/docr/registries/claimed/gc-runs', {});
      expect(gc.status).toBe(403);
      expect(gc.body.error.message).toBe(
        'Not allowed: docr.garbage-collection.run on resource:default/docr-claimed',
      );
      const policy = await alice.put('/api/docr/registries/claimed/policy', {
        enabled: false,
      });
      expect(policy.status).toBe(403);
      expect(policy.body.error.message).toBe(
        'Not allowed: docr.policy.update on resource:default/docr-claimed',
      );
      const push = await portal.runTask(
        'docr-test-docker-config',
        { registryName: 'claimed', mode: 'push' },
        { user: USERS.outsider },
      );
      expect(push.status).toBe('failed');
      expect(push.log).toContain(
        'docr.registry.push on resource:default/docr-claimed',
      );

      expect(emulator.requests.mutating()).toEqual([]);
      expect(emulator.account.issuedCredentials).toHaveLength(issued);
      expect(emulator.account.getRegistry('claimed').gcRuns).toHaveLength(0);
    },
    TEST_TIMEOUT,
  );

  it(
    'leaves the owners of the provider’s entities their own path',
    async () => {
      const olivia = portal.as(USERS.owner);
      const gc = await olivia.post(
        '/api/docr/registries/platform-apps/gc-runs',
        {},
      );
      expect(gc.status).toBe(201);
      const push = await portal.runTask(
        'docr-test-docker-config',
        { registryName: 'platform-apps', mode: 'push' },
        { user: USERS.owner },
      );
      expect(push.status).toBe('completed');
      expect(emulator.account.issuedCredentials.at(-1)).toMatchObject({
        registryName: 'platform-apps',
        readWrite: true,
      });
    },
    TEST_TIMEOUT,
  );
});
