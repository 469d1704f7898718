/**
 * Annotation keys the DOCR plugins put on and read from catalog entities.
 *
 * @public
 */
export const ANNOTATION_REGISTRY_NAME = 'digitalocean.com/registry-name';
/** @public */
export const ANNOTATION_REGION = 'digitalocean.com/region';
/** @public */
export const ANNOTATION_SUBSCRIPTION_TIER =
  'digitalocean.com/subscription-tier';
/** @public */
export const ANNOTATION_STORAGE_USAGE_BYTES =
  'digitalocean.com/storage-usage-bytes';
/** @public */
export const ANNOTATION_STORAGE_USAGE_UPDATED_AT =
  'digitalocean.com/storage-usage-updated-at';
/** @public */
export const ANNOTATION_SERVER_URL = 'digitalocean.com/server-url';
/** @public */
export const ANNOTATION_CLUSTER_ID = 'digitalocean.com/cluster-id';
/** @public */
export const ANNOTATION_ACCOUNT = 'digitalocean.com/account';
/**
 * On a Component: the repository its images are pushed to, `<registry>/<repository>` (e.g.
 * `acme-prod/web`; the repository may hold more `/`).
 *
 * @public
 */
export const ANNOTATION_CONTAINER_REPOSITORY =
  'digitalocean.com/container-repository';

/**
 * `acme-prod/team/web` → `{ registry: 'acme-prod', repository: 'team/web' }`; undefined when the
 * value names no repository.
 *
 * @public
 */
export function parseContainerRepository(
  value: string,
): { registry: string; repository: string } | undefined {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) return undefined;
  return {
    registry: value.slice(0, slash),
    repository: value.slice(slash + 1),
  };
}

/**
 * `spec.type` of the catalog Resources the provider emits.
 *
 * @public
 */
export const RESOURCE_TYPE_CONTAINER_REGISTRY = 'container-registry';
/** @public */
export const RESOURCE_TYPE_KUBERNETES_CLUSTER = 'kubernetes-cluster';
/**
 * An account's registry subscription: tier, included storage and price, shared by its registries.
 *
 * @public
 */
export const RESOURCE_TYPE_REGISTRY_SUBSCRIPTION =
  'container-registry-subscription';

/**
 * On the subscription entity: the account's registries, and how many its tier allows.
 *
 * @public
 */
export const ANNOTATION_REGISTRY_COUNT = 'digitalocean.com/registry-count';
/** @public */
export const ANNOTATION_REGISTRY_LIMIT = 'digitalocean.com/registry-limit';
/**
 * On the subscription entity: the regions DigitalOcean offers for registries, comma-separated.
 *
 * @public
 */
export const ANNOTATION_AVAILABLE_REGIONS =
  'digitalocean.com/available-regions';
/**
 * On the subscription entity: the month's estimated cost (tier price plus overage), in cents.
 *
 * @public
 */
export const ANNOTATION_MONTHLY_COST_CENTS =
  'digitalocean.com/monthly-cost-cents';

/** @public */
export const ANNOTATION_INCLUDED_STORAGE_BYTES =
  'digitalocean.com/included-storage-bytes';
/** @public */
export const ANNOTATION_TIER_MONTHLY_PRICE_CENTS =
  'digitalocean.com/tier-monthly-price-cents';
/** @public */
export const ANNOTATION_STORAGE_OVERAGE_PRICE_CENTS =
  'digitalocean.com/storage-overage-price-cents';
/** @public */
export const ANNOTATION_KUBERNETES_VERSION =
  'digitalocean.com/kubernetes-version';
/** @public */
export const ANNOTATION_NODE_POOLS = 'digitalocean.com/node-pools';

/**
 * The account of entities, routes and policies when nothing names one: DigitalOcean's registry
 * names are unique per account only, so everything else carries the account.
 *
 * @public
 */
export const DEFAULT_ACCOUNT_ID = 'default';

/**
 * The catalog namespace of an account's entities: the account's id, so two accounts' registries
 * of the same name are two entities (`resource:team-b/docr-web`).
 *
 * @public
 */
export function accountNamespace(
  accountId: string = DEFAULT_ACCOUNT_ID,
): string {
  return accountId;
}

/**
 * The location the DigitalOcean catalog provider of an account gives its entities, in both
 * `backstage.io/managed-by-location` and `backstage.io/managed-by-origin-location`:
 * `digitalocean:<account>`. The catalog overwrites both on entities read from a registered
 * location, so no user-registered entity carries it; the shipped permission policy gives rights
 * only on entities that do.
 *
 * @public
 */
export function digitalOceanProviderLocation(
  accountId: string = DEFAULT_ACCOUNT_ID,
): string {
  return `digitalocean:${accountId}`;
}

/**
 * Why an account id cannot name a catalog namespace, or undefined when it can.
 *
 * @public
 */
export function accountIdProblem(accountId: string): string | undefined {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(accountId) && accountId.length <= 63
    ? undefined
    : `"${accountId}" is not a valid account id: lowercase letters, digits and single dashes, at most 63 characters (it names the catalog namespace of the account's entities)`;
}

/** Backstage entity names are at most 63 characters. */
const MAX_ENTITY_NAME = 63;

/**
 * A prefixed entity name that fits Backstage's limit: names too long keep their start and get a
 * short stable hash, so two long names never collide. (FNV-1a: no crypto needed for this.)
 */
function prefixedEntityName(prefix: string, name: string): string {
  const full = `${prefix}-${name}`;
  if (full.length <= MAX_ENTITY_NAME) return full;
  let hash = 0x811c9dc5;
  for (const char of name) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const suffix = hash.toString(36).padStart(7, '0').slice(0, 7);
  const head = full
    .slice(0, MAX_ENTITY_NAME - suffix.length - 1)
    .replace(/-+$/, '');
  return `${head}-${suffix}`;
}

/**
 * Catalog entity names for registries and DOKS clusters.
 *
 * @public
 */
export function registryEntityName(registryName: string): string {
  return prefixedEntityName('docr', registryName);
}
/** @public */
export function clusterEntityName(clusterName: string): string {
  return prefixedEntityName('doks', clusterName);
}
/**
 * An App Platform app's entity name (app names are unique per account).
 *
 * @public
 */
export function appEntityName(appName: string): string {
  return prefixedEntityName('doapp', appName);
}
/**
 * The catalog entity of a configured account's registry subscription (one per account). Not
 * under `docr-`: a registry named `subscription-x` would take that name.
 *
 * @public
 */
export function subscriptionEntityName(accountId: string): string {
  return prefixedEntityName('do-registry-subscription', accountId);
}
