import type { KubernetesCluster } from '@backstage-docr/digitalocean-openapi';

// The keys of @backstage/plugin-kubernetes-common (catalog-entity-constants), written out so
// that the module does not depend on the Kubernetes plugin at run time.
export const KUBERNETES_API_SERVER = 'kubernetes.io/api-server';
export const KUBERNETES_API_SERVER_CA =
  'kubernetes.io/api-server-certificate-authority';
export const KUBERNETES_AUTH_PROVIDER = 'kubernetes.io/auth-provider';
export const KUBERNETES_OIDC_TOKEN_PROVIDER =
  'kubernetes.io/oidc-token-provider';

/**
 * The frontend auth provider whose token the Kubernetes plugin sends for a DOKS cluster: each
 * user's own DigitalOcean token, so the cluster's RBAC sees the user, not the portal.
 */
export const DIGITALOCEAN_OIDC_TOKEN_PROVIDER = 'digitalocean';

/**
 * What the catalog cluster locator of Backstage's Kubernetes plugin reads from a
 * `kubernetes-cluster` Resource. It lists only entities that carry all of `api-server`,
 * `api-server-certificate-authority` and `auth-provider`, so a cluster without an endpoint (still
 * provisioning) gets none of them.
 *
 * - auth provider `oidc` with token provider `digitalocean`: DOKS takes a DigitalOcean token as
 *   a bearer token, and `oidc` is the strategy that sends a token the user's browser obtained.
 *   `serviceAccount` is refused by the catalog locator, and no built-in strategy holds a
 *   DigitalOcean token on the server.
 * - certificate authority: DigitalOcean's cluster object has none; it is the
 *   `certificate_authority_data` of `GET /v2/kubernetes/clusters/{id}/credentials` (base64 PEM,
 *   which is what the plugin's `caData` takes), read by the provider in the background after a
 *   refresh, one call per cluster. Only the CA goes into the entity, never the token or client
 *   key of that answer. Until it is read (or when the call failed), the annotation is left out:
 *   the entity is valid without it, and the locator skips the cluster rather than connecting
 *   without its CA.
 */
export function kubernetesPluginAnnotations(
  cluster: KubernetesCluster,
  caData?: string,
): Record<string, string> {
  if (!cluster.endpoint) return {};
  return {
    [KUBERNETES_API_SERVER]: cluster.endpoint,
    ...(caData ? { [KUBERNETES_API_SERVER_CA]: caData } : {}),
    [KUBERNETES_AUTH_PROVIDER]: 'oidc',
    [KUBERNETES_OIDC_TOKEN_PROVIDER]: DIGITALOCEAN_OIDC_TOKEN_PROVIDER,
  };
}
