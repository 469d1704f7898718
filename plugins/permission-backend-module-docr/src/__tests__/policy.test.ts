import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  clusterEntityRef,
  docrCatalogRefreshPermission,
  docrClusterIntegratePermission,
  docrGarbageCollectionRunPermission,
  docrPolicyUpdatePermission,
  docrRegistryCreatePermission,
  docrRegistryPushPermission,
  docrRegistryReadPermission,
  docrSubscriptionUpdatePermission,
  registryEntityRef,
  subscriptionEntityRef,
} from '@backstage-docr/plugin-docr-common';
import permissionModule from '..';

const OWNER = 'user:default/olivia'; // member of group:default/platform
const OUTSIDER = 'user:default/alice'; // member of group:default/team-a
const MEMBERSHIP: Record<string, string[]> = {
  [OWNER]: ['group:default/platform'],
  [OUTSIDER]: ['group:default/team-a'],
};

/** The groups a user is a member of, as the auth backend's sign-in resolver would put them. */
const userInfoWithGroups = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(MEMBERSHIP[ref] ?? [])],
      };
    },
  }),
});

/**
 * Backstage's mock auth, except that a plugin's token on behalf of a user carries the plugin as
 * its actor, as real on-behalf-of tokens do: the permission backend then asks the catalog to
 * apply the owner condition as a service, which the catalog requires.
 */
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const pluginId = plugin.getId();
    const auth = mockServices.auth({ pluginId });
    const getPluginRequestToken = auth.getPluginRequestToken.bind(auth);
    auth.getPluginRequestToken = async options => {
      const principal = options.onBehalfOf.principal as {
        type: string;
        userEntityRef?: string;
      };
      if (principal.type !== 'user') return getPluginRequestToken(options);
      return {
        token: mockCredentials.user.token(principal.userEntityRef!, {
          actor: { subject: `plugin:${pluginId}` },
        }),
      };
    };
    return auth;
  },
});

describe('DocrOwnersPermissionPolicy in a permission backend with the catalog', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-policy-'));
    const file = path.join(dir, 'registries.yaml');
    fs.writeFileSync(
      file,
      `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: docr-acme }
spec: { type: container-registry, owner: group:default/platform }
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: do-registry-subscription-default }
spec: { type: container-registry-subscription, owner: group:default/platform }
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: doks-prod-ams3 }
spec: { type: kubernetes-cluster, owner: group:default/platform }
`,
    );
    const backend = await startTestBackend({
      features: [
        permissionPlugin,
        permissionModule,
        catalogPlugin,
        userInfoWithGroups,
        authWithActors,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Resource', 'Location'] }],
              locations: [{ type: 'file', target: file }],
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    // The catalog reads the file location in the background.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/resource/default/docr-acme')
        .set('Authorization', mockCredentials.service.header());
      if (res.status === 200) break;
      if (Date.now() > deadline)
        throw new Error('The catalog never read the registry entity');
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }, 60_000);

  afterAll(() => stop?.());

  async function decide(
    user: string | undefined,
    items: Array<{ permission: object; resourceRef?: string }>,
  ) {
    const req = request(server).post('/api/permission/authorize');
    if (user) req.set('Authorization', mockCredentials.user.header(user));
    const res = await req.send({
      items: items.map((item, i) => ({ id: String(i), ...item })),
    });
    if (res.status !== 200) {
      throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    }
    return { results: res.body.items.map((i: any) => i.result) };
  }

  const onAcme = [
    docrGarbageCollectionRunPermission,
    docrPolicyUpdatePermission,
    docrRegistryPushPermission,
  ].map(permission => ({ permission, resourceRef: registryEntityRef('acme') }));
  const onAccountAndCluster = [
    {
      permission: docrRegistryCreatePermission,
      resourceRef: subscriptionEntityRef('default'),
    },
    {
      permission: docrSubscriptionUpdatePermission,
      resourceRef: subscriptionEntityRef('default'),
    },
    {
      permission: docrClusterIntegratePermission,
      resourceRef: clusterEntityRef('prod-ams3'),
    },
  ];

  it('lets the owning group’s members run GC, change the policy and push', async () => {
    expect((await decide(OWNER, onAcme)).results).toEqual([
      'ALLOW',
      'ALLOW',
      'ALLOW',
    ]);
  });

  it('refuses them to a member of another team, who may still read', async () => {
    expect((await decide(OUTSIDER, onAcme)).results).toEqual([
      'DENY',
      'DENY',
      'DENY',
    ]);
    expect(
      (
        await decide(OUTSIDER, [
          {
            permission: docrRegistryReadPermission,
            resourceRef: registryEntityRef('acme'),
          },
          { permission: docrCatalogRefreshPermission },
        ])
      ).results,
    ).toEqual(['ALLOW', 'ALLOW']);
  });

  it('lets the subscription’s and the cluster’s owners create registries, raise the tier and integrate the cluster', async () => {
    expect((await decide(OWNER, onAccountAndCluster)).results).toEqual([
      'ALLOW',
      'ALLOW',
      'ALLOW',
    ]);
  });

  it('refuses creating, raising the tier and integrating the cluster to another team', async () => {
    expect((await decide(OUTSIDER, onAccountAndCluster)).results).toEqual([
      'DENY',
      'DENY',
      'DENY',
    ]);
  });

  it('refuses an account without a subscription entity, whoever asks', async () => {
    const unknown = onAccountAndCluster.map(item => ({
      ...item,
      resourceRef: subscriptionEntityRef('elsewhere'),
    }));
    expect((await decide(OWNER, unknown)).results).toEqual([
      'DENY',
      'DENY',
      'DENY',
    ]);
  });

  it('refuses a registry without a catalog entity, whoever asks', async () => {
    const unknown = onAcme.map(item => ({
      ...item,
      resourceRef: registryEntityRef('not-in-the-catalog'),
    }));
    expect((await decide(OWNER, unknown)).results).toEqual([
      'DENY',
      'DENY',
      'DENY',
    ]);
  });
});
