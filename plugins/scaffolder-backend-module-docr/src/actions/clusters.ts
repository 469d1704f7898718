import { parseEntityRef } from '@backstage/catalog-model';
import type { KubernetesCluster } from '@backstage-docr/digitalocean-openapi';
import {
  DEFAULT_ACCOUNT_ID,
  accountNamespace,
  clusterEntityName,
} from '@backstage-docr/plugin-docr-common';

/**
 * Finds each requested DOKS cluster by UUID, by name, or by its catalog entity reference
 * (`resource:<account>/doks-<name>`, as an EntityPicker returns it: the account's namespace, so
 * another account's cluster of the same name is not taken for this one's). Unknown ones are
 * reported.
 */
export function resolveClusters(
  requested: string[],
  clusters: KubernetesCluster[],
  account: string = DEFAULT_ACCOUNT_ID,
) {
  const found: KubernetesCluster[] = [];
  const unknown: string[] = [];
  for (const wanted of requested) {
    const match = clusters.find(
      c =>
        c.id === wanted ||
        c.name === wanted ||
        matchesEntityRef(wanted, c, account),
    );
    if (!match) unknown.push(wanted);
    else if (!found.includes(match)) found.push(match);
  }
  return { found, unknown };
}

function matchesEntityRef(
  ref: string,
  cluster: KubernetesCluster,
  account: string,
): boolean {
  if (!ref.includes(':') && !ref.includes('/')) return false;
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: 'resource',
      defaultNamespace: 'default',
    });
    return (
      parsed.kind.toLowerCase() === 'resource' &&
      parsed.namespace === accountNamespace(account) &&
      parsed.name === clusterEntityName(cluster.name)
    );
  } catch {
    return false;
  }
}

export function describeUnknownClusters(
  unknown: string[],
  clusters: KubernetesCluster[],
): string {
  const known =
    clusters
      .map(c => c.name)
      .sort()
      .join(', ') || 'none';
  return `doksClusters: no DOKS cluster ${unknown.map(u => `"${u}"`).join(', ')} in the account (clusters: ${known})`;
}
