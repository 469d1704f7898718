import type {
  GarbageCollection,
  Registry,
  RepositoryManifest,
  RepositoryTag,
  RepositoryV2,
  Subscription,
  SubscriptionTier,
} from '@backstage-docr/digitalocean-openapi';
import type {
  EmulatedAccount,
  RegistryState,
  SubscriptionState,
} from '../model/account';
import type { GcRun } from '../model/garbageCollection';
import {
  Manifest,
  Repository,
  compressedSize,
  manifestBlobs,
  tagsOf,
} from '../model/registryStorage';

/** Turns emulator state into DigitalOcean's payloads, typed by the generated OpenAPI types. */

const iso = (ms: number) => new Date(ms).toISOString();

export function presentRegistry(
  account: EmulatedAccount,
  registry: RegistryState,
  withSubscription: boolean,
): Registry {
  const storage = account.reportedStorage(registry);
  const body: Registry = {
    name: registry.name,
    created_at: iso(registry.createdAt),
    region: registry.region,
    storage_usage_bytes: storage.bytes,
    storage_usage_bytes_updated_at: iso(storage.updatedAt),
  };
  if (withSubscription && account.subscription) {
    body.subscription = presentSubscription(account, account.subscription);
  }
  return body;
}

export function presentSubscription(
  account: EmulatedAccount,
  subscription: SubscriptionState,
): Subscription {
  const tier = account.tier(subscription.tierSlug);
  return {
    tier: tier ? presentTierBase(tier) : undefined,
    created_at: iso(subscription.createdAt),
    updated_at: iso(subscription.updatedAt),
  };
}

function presentTierBase(tier: SubscriptionTier): SubscriptionTier {
  const { eligible: _e, eligibility_reasons: _r, ...base } = tier;
  return base;
}

export function presentOptions(account: EmulatedAccount) {
  return {
    options: {
      available_regions: account.regions,
      subscription_tiers: account.tiers.map(tier => {
        const reasons = account.eligibilityReasons(tier);
        // The spec's enum knows only these two reasons; the registry count still makes a tier ineligible.
        const listed = reasons.filter(
          (r): r is 'OverRepositoryLimit' | 'OverStorageLimit' =>
            r !== 'OverRegistryLimit',
        );
        const presented: SubscriptionTier = {
          ...presentTierBase(tier),
          eligible: reasons.length === 0,
        };
        if (listed.length) presented.eligibility_reasons = listed;
        return presented;
      }),
    },
  };
}

export function presentGc(run: GcRun): GarbageCollection {
  return {
    uuid: run.uuid,
    registry_name: run.registryName,
    // Statuses outside the spec's enum exist in the wild; the emulator only reports listed ones.
    status: run.status as GarbageCollection['status'],
    created_at: iso(run.createdAt),
    updated_at: iso(run.updatedAt),
    blobs_deleted: run.blobsDeleted,
    freed_bytes: run.freedBytes,
  };
}

export function presentManifest(
  registry: RegistryState,
  repository: Repository,
  manifest: Manifest,
): RepositoryManifest {
  const compressed = compressedSize(registry.storage, manifest);
  return {
    registry_name: registry.name,
    repository: repository.name,
    digest: manifest.digest,
    compressed_size_bytes: compressed,
    size_bytes: compressed * 2,
    updated_at: iso(manifest.updatedAt),
    tags: tagsOf(repository, manifest.digest),
    blobs: manifestBlobs(manifest).map(digest => ({
      digest,
      compressed_size_bytes: registry.storage.blobs.get(digest) ?? 0,
    })),
  };
}

export function presentTag(
  registry: RegistryState,
  repository: Repository,
  tag: string,
): RepositoryTag {
  const digest = repository.tags.get(tag)!;
  const manifest = repository.manifests.get(digest)!;
  const compressed = compressedSize(registry.storage, manifest);
  return {
    registry_name: registry.name,
    repository: repository.name,
    tag,
    manifest_digest: digest,
    compressed_size_bytes: compressed,
    size_bytes: compressed * 2,
    updated_at: iso(repository.tagUpdatedAt.get(tag) ?? manifest.updatedAt),
  };
}

/** Newest first; among manifests pushed at the same instant, the later push first. */
export function sortedManifests(repository: Repository): Manifest[] {
  return [...repository.manifests.values()]
    .reverse()
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

export function presentRepositoryV2(
  registry: RegistryState,
  repository: Repository,
): RepositoryV2 {
  const [latest] = sortedManifests(repository);
  return {
    registry_name: registry.name,
    name: repository.name,
    latest_manifest: latest
      ? presentManifest(registry, repository, latest)
      : undefined,
    tag_count: repository.tags.size,
    manifest_count: repository.manifests.size,
  };
}

/** The V1 repository listing of the deprecated single-registry API. */
export function presentRepositoryV1(
  registry: RegistryState,
  repository: Repository,
) {
  const [latestTag] = [...repository.tags.keys()].sort(
    (a, b) =>
      (repository.tagUpdatedAt.get(b) ?? 0) -
      (repository.tagUpdatedAt.get(a) ?? 0),
  );
  return {
    registry_name: registry.name,
    name: repository.name,
    latest_tag: latestTag
      ? presentTag(registry, repository, latestTag)
      : undefined,
    tag_count: repository.tags.size,
  };
}
