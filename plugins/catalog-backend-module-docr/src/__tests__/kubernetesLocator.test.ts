import request from 'supertest';
import type { SchedulerService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { DoEmulator } from '@backstage-docr/do-emulator';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { startDemoCatalog } from '../__testUtils__/demoCatalog';
import {
  TestBackend,
  byName,
  eventually,
  resources,
} from '../__testUtils__/harness';

const TASK = 'digitalocean-provider:default:refresh';
const PROD = '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02';
const STAGING = '6c9e1c4e-2b1d-4a3e-9f0a-0d7c2d1b9a01';

interface ClusterItem {
  name: string;
  title?: string;
  authProvider: string;
  oidcTokenProvider?: string;
}

/**
 * Backstage's Kubernetes backend with only the catalog cluster locator, in the same backend as
 * the catalog and our provider reading the emulator's demo account: the clusters it lists are
 * the DOKS Resources our provider emitted, found through their annotations alone.
 */
describe('DOKS clusters in the Kubernetes plugin (catalog cluster locator)', () => {
  let emulator: DoEmulator;
  let backend: TestBackend;
  let scheduler: SchedulerService;

  beforeAll(async () => {
    ({ emulator, backend, scheduler } = await startDemoCatalog({
      features: [kubernetesPlugin],
      config: {
        kubernetes: {
          serviceLocatorMethod: { type: 'multiTenant' },
          clusterLocatorMethods: [
            {
              type: 'catalog',
              // The demo's endpoints are not resolvable here (no DNS); in production a
              // DOKS endpoint resolves to a public address and passes the locator's check
              // without this.
              dangerouslyAllowClusterUrls: ['*.k8s.ondigitalocean.com'],
            },
          ],
        },
      },
    }));
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await emulator?.stop();
  }, 60_000);

  /** The CA the emulator's credentials endpoint gives for the cluster. */
  const emulatorCa = async (id: string): Promise<string> => {
    const res = await fetch(
      `${emulator.url}/v2/kubernetes/clusters/${id}/credentials`,
      { headers: { authorization: 'Bearer test' } },
    );
    expect(res.status).toBe(200);
    return (await res.json()).certificate_authority_data;
  };

  const clusters = async (): Promise<ClusterItem[]> => {
    const res = await request(backend.server)
      .get('/api/kubernetes/clusters')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return [...res.body.items].sort((a: ClusterItem, b: ClusterItem) =>
      a.name.localeCompare(b.name),
    );
  };

  it('lists nothing before the provider has run', async () => {
    expect(await clusters()).toEqual([]);
  }, 30_000);

  it('lists the demo account’s DOKS clusters, with the oidc auth provider and the digitalocean token provider', async () => {
    await scheduler.triggerTask(TASK);
    const items = await eventually(
      clusters,
      list => expect(list.map(c => c.name)).toHaveLength(2),
      30_000,
    );
    expect(items).toEqual([
      {
        name: 'doks-prod-ams3',
        title: 'prod-ams3',
        authProvider: 'oidc',
        oidcTokenProvider: 'digitalocean',
      },
      {
        name: 'doks-staging-fra1',
        title: 'staging-fra1',
        authProvider: 'oidc',
        oidcTokenProvider: 'digitalocean',
      },
    ]);

    // What the locator read: the API server is DigitalOcean's endpoint of each cluster, its CA
    // the one the cluster's credentials carry (base64 PEM), and nothing else of them.
    const entities = await resources(backend);
    for (const [name, id] of [
      ['doks-prod-ams3', PROD],
      ['doks-staging-fra1', STAGING],
    ]) {
      const ca = await emulatorCa(id);
      expect(Buffer.from(ca, 'base64').toString()).toMatch(
        /^-----BEGIN CERTIFICATE-----\n/,
      );
      const annotations = byName(entities, name)?.metadata.annotations;
      expect(annotations).toMatchObject({
        'kubernetes.io/api-server': `https://${id}.k8s.ondigitalocean.com`,
        'kubernetes.io/api-server-certificate-authority': ca,
        'kubernetes.io/auth-provider': 'oidc',
        'kubernetes.io/oidc-token-provider': 'digitalocean',
      });
      expect(JSON.stringify(annotations)).not.toContain('doks-emulator-');
    }
  }, 60_000);

  it('emits a new cluster whose credentials call fails without the CA annotation, so the locator skips it; the others keep theirs and the refresh succeeds', async () => {
    const added = emulator.account.addCluster({
      name: 'dev-lon1',
      region: 'lon1',
    });
    emulator.faults.add({
      kind: 'error',
      status: 404,
      count: 1000,
      operationId: 'kubernetes_get_credentials',
    });
    try {
      await scheduler.triggerTask(TASK);
      const entities = await eventually(
        () => resources(backend),
        e => expect(byName(e, 'doks-dev-lon1')).toBeDefined(),
        30_000,
      );
      const dev = byName(entities, 'doks-dev-lon1')?.metadata.annotations;
      expect(dev).toMatchObject({
        'kubernetes.io/api-server': `https://${added.id}.k8s.ondigitalocean.com`,
        'kubernetes.io/auth-provider': 'oidc',
      });
      // (an array: a string with dots would be read as a path and never match)
      expect(dev).not.toHaveProperty([
        'kubernetes.io/api-server-certificate-authority',
      ]);
      // The clusters whose CA an earlier refresh read keep it (read again once a day).
      const items = await clusters();
      expect(items.map(c => c.name)).toEqual([
        'doks-prod-ams3',
        'doks-staging-fra1',
      ]);
    } finally {
      emulator.faults.clear();
    }
  }, 60_000);
});
