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
import {
  PolicyBackend,
  providerEntity,
  startPolicyBackend,
} from '../__testUtils__/policyBackend';

const OWNER = 'user:default/olivia'; // group:default/platform
const OUTSIDER = 'user:default/alice'; // group:default/team-a
const TEAM_B = 'user:default/bob'; // group:default/team-b
const AUDITOR = 'user:default/ada'; // group:default/auditors

const PLATFORM = 'group:default/platform';
/** What the DigitalOcean providers of the default and team-b accounts emit. */
const provided = [
  providerEntity('default', 'docr-acme', 'container-registry', PLATFORM),
  providerEntity(
    'default',
    'do-registry-subscription-default',
    'container-registry-subscription',
    PLATFORM,
  ),
  providerEntity('default', 'doks-prod-ams3', 'kubernetes-cluster', PLATFORM),
  providerEntity(
    'team-b',
    'docr-team-b-apps',
    'container-registry',
    'group:default/team-b',
  ),
];
/**
 * Look-alikes team-a registers from a location: a registry's entity the provider has not emitted
 * (yet), owned by team-a; one claiming the provider's location pair in its own YAML; a cluster.
 */
const registered = `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: docr-claimed }
spec: { type: container-registry, owner: group:default/team-a }
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: docr-forged
  annotations:
    backstage.io/managed-by-location: digitalocean:default
    backstage.io/managed-by-origin-location: digitalocean:default
spec: { type: container-registry, owner: group:default/team-a }
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: doks-claimed }
spec: { type: kubernetes-cluster, owner: group:default/team-a }
`;
const waitFor = [
  registryEntityRef('acme'),
  registryEntityRef('team-b-apps', 'team-b'),
  registryEntityRef('claimed'),
  registryEntityRef('forged'),
  clusterEntityRef('claimed'),
];

const registryActions = [
  docrGarbageCollectionRunPermission,
  docrPolicyUpdatePermission,
  docrRegistryPushPermission,
];
const on = (resourceRef: string, permissions = registryActions) =>
  permissions.map(permission => ({ permission, resourceRef }));
const onAccountAndCluster = (subscription: string, cluster: string) => [
  { permission: docrRegistryCreatePermission, resourceRef: subscription },
  { permission: docrSubscriptionUpdatePermission, resourceRef: subscription },
  { permission: docrClusterIntegratePermission, resourceRef: cluster },
];
const read = (...refs: string[]) =>
  refs.map(resourceRef => ({
    permission: docrRegistryReadPermission,
    resourceRef,
  }));

jest.setTimeout(120_000);

describe('DocrOwnersPermissionPolicy in a permission backend with the catalog', () => {
  let backend: PolicyBackend;

  beforeAll(async () => {
    backend = await startPolicyBackend({ provided, registered, waitFor });
  });

  afterAll(() => backend?.stop());

  it('lets the owning group’s members run GC, change the policy and push', async () => {
    expect(await backend.decide(OWNER, on(registryEntityRef('acme')))).toEqual([
      'ALLOW',
      'ALLOW',
      'ALLOW',
    ]);
  });

  it('refuses them to a member of another team, who may still read', async () => {
    expect(
      await backend.decide(OUTSIDER, on(registryEntityRef('acme'))),
    ).toEqual(['DENY', 'DENY', 'DENY']);
    expect(
      await backend.decide(OUTSIDER, [
        ...read(registryEntityRef('acme')),
        { permission: docrCatalogRefreshPermission },
      ]),
    ).toEqual(['ALLOW', 'ALLOW']);
  });

  it('gives the owner of a look-alike registered from a location nothing, even one claiming the provider’s location', async () => {
    for (const name of ['claimed', 'forged']) {
      expect(
        await backend.decide(OUTSIDER, on(registryEntityRef(name))),
      ).toEqual(['DENY', 'DENY', 'DENY']);
    }
    expect(
      await backend.decide(
        OUTSIDER,
        onAccountAndCluster(
          subscriptionEntityRef('default'),
          clusterEntityRef('claimed'),
        ),
      ),
    ).toEqual(['DENY', 'DENY', 'DENY']);
  });

  it('lets the subscription’s and the cluster’s owners create registries, raise the tier and integrate the cluster', async () => {
    expect(
      await backend.decide(
        OWNER,
        onAccountAndCluster(
          subscriptionEntityRef('default'),
          clusterEntityRef('prod-ams3'),
        ),
      ),
    ).toEqual(['ALLOW', 'ALLOW', 'ALLOW']);
  });

  it('refuses creating, raising the tier and integrating the cluster to another team', async () => {
    expect(
      await backend.decide(
        OUTSIDER,
        onAccountAndCluster(
          subscriptionEntityRef('default'),
          clusterEntityRef('prod-ams3'),
        ),
      ),
    ).toEqual(['DENY', 'DENY', 'DENY']);
  });

  it('refuses an account without a subscription entity, whoever asks', async () => {
    const unknown = subscriptionEntityRef('elsewhere');
    expect(
      await backend.decide(OWNER, onAccountAndCluster(unknown, unknown)),
    ).toEqual(['DENY', 'DENY', 'DENY']);
  });

  it('refuses a registry without a catalog entity, whoever asks', async () => {
    expect(
      await backend.decide(OWNER, on(registryEntityRef('not-in-the-catalog'))),
    ).toEqual(['DENY', 'DENY', 'DENY']);
  });

  it('lets every signed-in user read every registry (the default read model)', async () => {
    const refs = [
      registryEntityRef('acme'),
      registryEntityRef('team-b-apps', 'team-b'),
      registryEntityRef('not-in-the-catalog'),
    ];
    expect(await backend.decide(TEAM_B, read(...refs))).toEqual([
      'ALLOW',
      'ALLOW',
      'ALLOW',
    ]);
  });
});

describe('DocrOwnersPermissionPolicy with the owners read model', () => {
  let backend: PolicyBackend;

  beforeAll(async () => {
    backend = await startPolicyBackend({
      provided,
      registered,
      waitFor,
      config: {
        docr: {
          permissions: {
            readModel: 'owners',
            readers: ['group:default/auditors'],
          },
        },
      },
    });
  });

  afterAll(() => backend?.stop());

  const everything = read(
    registryEntityRef('acme'),
    subscriptionEntityRef('default'),
    registryEntityRef('team-b-apps', 'team-b'),
    registryEntityRef('claimed'),
    registryEntityRef('not-in-the-catalog'),
  );

  it('lets each team read only the registries and subscriptions its group owns', async () => {
    expect(await backend.decide(OWNER, everything)).toEqual([
      'ALLOW',
      'ALLOW',
      'DENY',
      'DENY',
      'DENY',
    ]);
    expect(await backend.decide(TEAM_B, everything)).toEqual([
      'DENY',
      'DENY',
      'ALLOW',
      'DENY',
      'DENY',
    ]);
  });

  it('gives the owner of a look-alike no read of the registry either', async () => {
    expect(await backend.decide(OUTSIDER, everything)).toEqual([
      'DENY',
      'DENY',
      'DENY',
      'DENY',
      'DENY',
    ]);
  });

  it('lets the configured readers read every registry, and act on none', async () => {
    expect(await backend.decide(AUDITOR, everything)).toEqual([
      'ALLOW',
      'ALLOW',
      'ALLOW',
      'ALLOW',
      'ALLOW',
    ]);
    expect(
      await backend.decide(AUDITOR, on(registryEntityRef('acme'))),
    ).toEqual(['DENY', 'DENY', 'DENY']);
  });

  it('leaves the owners’ rights to act as they are', async () => {
    expect(
      await backend.decide(
        TEAM_B,
        on(registryEntityRef('team-b-apps', 'team-b')),
      ),
    ).toEqual(['ALLOW', 'ALLOW', 'ALLOW']);
  });
});
