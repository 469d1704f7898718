import {
  ANNOTATION_VIEW_URL,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type {
  KubernetesCluster,
  Registry,
  SubscriptionTier,
} from '@backstage-docr/digitalocean-openapi';
import {
  ANNOTATION_ACCOUNT,
  ANNOTATION_CLUSTER_ID,
  ANNOTATION_INCLUDED_STORAGE_BYTES,
  ANNOTATION_STORAGE_OVERAGE_PRICE_CENTS,
  ANNOTATION_TIER_MONTHLY_PRICE_CENTS,
  ANNOTATION_KUBERNETES_VERSION,
  ANNOTATION_NODE_POOLS,
  ANNOTATION_REGION,
  ANNOTATION_REGISTRY_NAME,
  ANNOTATION_SERVER_URL,
  ANNOTATION_STORAGE_USAGE_BYTES,
  ANNOTATION_STORAGE_USAGE_UPDATED_AT,
  ANNOTATION_SUBSCRIPTION_TIER,
  RESOURCE_TYPE_CONTAINER_REGISTRY,
  RESOURCE_TYPE_KUBERNETES_CLUSTER,
  clusterEntityName,
  registryEntityName,
  registryServerUrl,
  DEFAULT_ACCOUNT_ID,
  accountNamespace,
} from '@backstage-docr/plugin-docr-common';
import { CONSOLE_URL, EntityContext, managedBy, spec } from './entityParts';
import { kubernetesPluginAnnotations } from './kubernetesAnnotations';
import { subscriptionEntityRef } from './subscriptionEntity';

export type { EntityContext } from './entityParts';

/** A registry's entity ref: in its account's namespace (names are unique per account only). */
export function registryEntityRef(
  registryName: string,
  account: string = DEFAULT_ACCOUNT_ID,
): string {
  return stringifyEntityRef({
    kind: 'resource',
    namespace: accountNamespace(account),
    name: registryEntityName(registryName),
  });
}

export function registryEntity(
  registry: Registry,
  tiers: SubscriptionTier[],
  context: EntityContext,
): Entity {
  const name = registry.name!;
  const tierSlug = registry.subscription?.tier?.slug;
  const tier =
    tiers.find(t => t.slug === tierSlug) ?? registry.subscription?.tier;
  const viewUrl = `${CONSOLE_URL}/registry/${name}`;
  const annotations: Record<string, string> = {
    ...managedBy(context.account),
    [ANNOTATION_VIEW_URL]: viewUrl,
    [ANNOTATION_ACCOUNT]: context.account,
    [ANNOTATION_REGISTRY_NAME]: name,
    [ANNOTATION_SERVER_URL]: registryServerUrl(name),
  };
  if (registry.region) annotations[ANNOTATION_REGION] = registry.region;
  if (tierSlug) annotations[ANNOTATION_SUBSCRIPTION_TIER] = tierSlug;
  if (tier?.included_storage_bytes !== undefined) {
    annotations[ANNOTATION_INCLUDED_STORAGE_BYTES] = String(
      tier.included_storage_bytes,
    );
  }
  // Prices come from DigitalOcean's options endpoint, so the cost estimate follows price changes.
  if (tier?.monthly_price_in_cents !== undefined) {
    annotations[ANNOTATION_TIER_MONTHLY_PRICE_CENTS] = String(
      tier.monthly_price_in_cents,
    );
  }
  if (tier?.storage_overage_price_in_cents !== undefined) {
    annotations[ANNOTATION_STORAGE_OVERAGE_PRICE_CENTS] = String(
      tier.storage_overage_price_in_cents,
    );
  }
  if (registry.storage_usage_bytes !== undefined) {
    annotations[ANNOTATION_STORAGE_USAGE_BYTES] = String(
      registry.storage_usage_bytes,
    );
  }
  if (registry.storage_usage_bytes_updated_at) {
    annotations[ANNOTATION_STORAGE_USAGE_UPDATED_AT] =
      registry.storage_usage_bytes_updated_at;
  }
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: registryEntityName(name),
      namespace: accountNamespace(context.account),
      title: name,
      description: `DigitalOcean Container Registry ${registryServerUrl(name)}${
        registry.region ? ` in ${registry.region}` : ''
      }${tier?.name ? ` (${tier.name} tier)` : ''}`,
      annotations,
      tags: ['digitalocean', 'container-registry'],
      links: [{ url: viewUrl, title: 'DigitalOcean console', icon: 'cloud' }],
    },
    spec: {
      ...spec(context, RESOURCE_TYPE_CONTAINER_REGISTRY),
      // Its tier, included storage and price are the account's subscription's.
      dependsOn: [subscriptionEntityRef(context.account)],
    },
  };
}

/** "web: 3 × s-4vcpu-8gb; workers: 2 × c-4 (autoscale 2–6)" */
export function nodePoolsSummary(cluster: KubernetesCluster): string {
  return (cluster.node_pools ?? [])
    .map(pool => {
      const autoscale = pool.auto_scale
        ? ` (autoscale ${pool.min_nodes ?? '?'}–${pool.max_nodes ?? '?'})`
        : '';
      return `${pool.name}: ${pool.count} × ${pool.size}${autoscale}`;
    })
    .join('; ');
}

/** `caData`: the cluster's CA from its credentials (base64 PEM), when it could be read. */
export function clusterEntity(
  cluster: KubernetesCluster,
  context: EntityContext,
  caData?: string,
): Entity {
  const viewUrl = `${CONSOLE_URL}/kubernetes/clusters/${cluster.id}`;
  const pools = nodePoolsSummary(cluster);
  const annotations: Record<string, string> = {
    ...managedBy(context.account),
    [ANNOTATION_VIEW_URL]: viewUrl,
    [ANNOTATION_ACCOUNT]: context.account,
    [ANNOTATION_CLUSTER_ID]: cluster.id!,
    [ANNOTATION_REGION]: cluster.region,
    [ANNOTATION_KUBERNETES_VERSION]: cluster.version,
    [ANNOTATION_NODE_POOLS]: pools,
    // Read by Backstage's Kubernetes plugin (catalog cluster locator).
    ...kubernetesPluginAnnotations(cluster, caData),
  };
  const registries = cluster.registry_enabled ? (cluster.registries ?? []) : [];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: clusterEntityName(cluster.name),
      namespace: accountNamespace(context.account),
      title: cluster.name,
      description: `DOKS cluster in ${cluster.region}, Kubernetes ${cluster.version}${pools ? `; node pools ${pools}` : ''}`,
      annotations,
      tags: ['digitalocean', 'kubernetes'],
      links: [{ url: viewUrl, title: 'DigitalOcean console', icon: 'cloud' }],
    },
    spec: {
      ...spec(context, RESOURCE_TYPE_KUBERNETES_CLUSTER),
      dependsOn: registries.map(name =>
        registryEntityRef(name, context.account),
      ),
    },
  };
}
