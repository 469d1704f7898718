import fs from 'node:fs';
import yaml from 'js-yaml';
import type { KubernetesCluster } from '@backstage-docr/digitalocean-openapi';
import type { EmulatedAccount } from './model/account';
import { Layer, sha256Digest } from './model/registryStorage';

const MIB = 1024 ** 2;

/**
 * An image to push while seeding. Either give `layers` exactly, or `sizeMiB` (split over
 * `layerCount` fresh layers). `pushes` > 1 pushes new content to the same tag that many times,
 * leaving `pushes - 1` untagged manifests: the bloat that only garbage collection frees.
 * `baseLayerMiB` adds a layer shared by every push of the image (a base image).
 */
export interface SeedImage {
  repository: string;
  tag: string;
  layers?: Layer[];
  sizeMiB?: number;
  layerCount?: number;
  pushes?: number;
  baseLayerMiB?: number;
}

export interface SeedRegistry {
  name: string;
  region?: string;
  images?: SeedImage[];
}

export interface EmulatorSeed {
  account?: {
    /** The account's subscription tier (shared by all its registries); default `basic`. */
    subscriptionTier?: string;
    /** Registry names held by other accounts: creating or validating them gets 409. */
    takenNames?: string[];
  };
  registries?: SeedRegistry[];
  clusters?: Array<Partial<KubernetesCluster> & { name: string }>;
}

export function loadSeedFile(file: string): EmulatorSeed {
  const parsed = yaml.load(fs.readFileSync(file, 'utf8'));
  if (!parsed || typeof parsed !== 'object') {
    throw new Error(`Seed file ${file} does not hold a YAML object`);
  }
  return parsed as EmulatorSeed;
}

export function applySeed(account: EmulatedAccount, seed: EmulatorSeed): void {
  for (const name of seed.account?.takenNames ?? [])
    account.takenNames.add(name);
  const tier = seed.account?.subscriptionTier ?? 'basic';
  // A named tier makes a subscription even with no registry yet (an empty Starter account).
  if (seed.registries?.length || seed.account?.subscriptionTier) {
    account.updateSubscription(tier);
  }
  for (const registry of seed.registries ?? []) {
    account.createRegistry({ name: registry.name, region: registry.region });
    for (const image of registry.images ?? []) {
      for (let push = 0; push < (image.pushes ?? 1); push++) {
        account.push(
          registry.name,
          image.repository,
          image.tag,
          imageLayers(registry.name, image),
        );
      }
    }
    // A seeded registry starts as DigitalOcean has long reported it, whatever the lag.
    account.markStorageReported(account.getRegistry(registry.name));
  }
  for (const cluster of seed.clusters ?? []) {
    account.addCluster(cluster);
  }
}

function imageLayers(registryName: string, image: SeedImage): Layer[] {
  if (image.layers) return image.layers;
  const count = Math.max(1, image.layerCount ?? 3);
  const bytes = Math.round((image.sizeMiB ?? 50) * MIB);
  const layers: Layer[] = Array.from({ length: count }, (_, i) => ({
    size: Math.floor(bytes / count) + (i === 0 ? bytes % count : 0),
  }));
  if (image.baseLayerMiB) {
    layers.unshift({
      digest: sha256Digest(`${registryName}/${image.repository}:base`),
      size: Math.round(image.baseLayerMiB * MIB),
    });
  }
  return layers;
}
