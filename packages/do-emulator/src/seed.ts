import fs from 'node:fs';
import type { KubernetesCluster } from '@backstage-docr/digitalocean-openapi';
import type { EmulatedAccount } from './model/account';
import { Layer, sha256Digest } from './model/registryStorage';
import { SeedApp, SeedPushHistory, applySeedApps, pushKey } from './seedApps';
import { SeedCiHistory, SeedPush, ciHistoryPushes } from './seedHistory';
import type { SeedOciImage } from './seedOciImages';
import type { SeedWorkload } from './kubernetes/ClusterWorkloads';

export type { SeedApp, SeedAppImage } from './seedApps';
export type { SeedCiHistory } from './seedHistory';
export type { SeedOciImage } from './seedOciImages';
export type { SeedWorkload } from './kubernetes/ClusterWorkloads';

/** A DOKS cluster: DigitalOcean's fields, and what runs on it (its pods run once seeded). */
export type SeedCluster = Partial<KubernetesCluster> & {
  name: string;
  workloads?: SeedWorkload[];
};

const MIB = 1024 ** 2;

/**
 * An image to push while seeding. Either give `layers` exactly, or `sizeMiB` (split over
 * `layerCount` fresh layers). `pushes` > 1 pushes new content to the same tag that many times,
 * leaving `pushes - 1` untagged manifests: the bloat that only garbage collection frees.
 * `baseLayerMiB` adds a layer shared by every push of the image (a base image). `pushedAt` (an
 * ISO 8601 time) dates its pushes in the past; default: when the seed is applied.
 */
export interface SeedImage {
  repository: string;
  tag: string;
  layers?: Layer[];
  sizeMiB?: number;
  layerCount?: number;
  pushes?: number;
  baseLayerMiB?: number;
  pushedAt?: string;
}

export interface SeedRegistry {
  name: string;
  region?: string;
  images?: SeedImage[];
  /** Generated CI histories (many commit tags over weeks), pushed with the images by time. */
  ciHistory?: SeedCiHistory[];
  /** OCI content (multi-arch images, signatures, SBOMs, Helm charts), pushed after the images. */
  ociImages?: SeedOciImage[];
}

export interface EmulatorSeed {
  account?: {
    /** The account's subscription tier (shared by all its registries); default `basic`. */
    subscriptionTier?: string;
    /** Registry names held by other accounts: creating or validating them gets 409. */
    takenNames?: string[];
  };
  registries?: SeedRegistry[];
  clusters?: SeedCluster[];
  /** App Platform apps, made after the registries (their images may pin seeded pushes). */
  apps?: SeedApp[];
}

export function loadSeedFile(file: string): EmulatorSeed {
  // Loaded here, not at import: js-yaml took about 15 ms of the emulator's start.
  const yaml: typeof import('js-yaml') = require('js-yaml');
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
  const pushed: SeedPushHistory = new Map();
  for (const registry of seed.registries ?? []) {
    account.createRegistry({ name: registry.name, region: registry.region });
    for (const push of seedPushes(registry, account.now())) {
      const { digest } = account.push(
        registry.name,
        push.repository,
        push.tag,
        push.layers,
        push.pushedAt,
      );
      const key = pushKey(registry.name, push.repository, push.tag);
      pushed.set(key, [...(pushed.get(key) ?? []), digest]);
    }
    if (registry.ociImages?.length) {
      // Loaded for seeds with OCI content only: 12 KB of TypeScript less to transform at import.
      const {
        pushSeedOciImage,
      }: typeof import('./seedOciImages') = require('./seedOciImages');
      for (const image of registry.ociImages)
        pushSeedOciImage(account, registry.name, image);
    }
    // A seeded registry starts as DigitalOcean has long reported it, whatever the lag.
    account.markStorageReported(account.getRegistry(registry.name));
  }
  for (const { workloads, ...cluster } of seed.clusters ?? []) {
    const added = account.addCluster(cluster);
    for (const workload of workloads ?? [])
      account.kubernetes.run(added.id!, workload);
  }
  applySeedApps(account, seed.apps ?? [], pushed);
}

/** The registry's seeded pushes, oldest first (pushes at the same time in seed order). */
function seedPushes(registry: SeedRegistry, now: number): SeedPush[] {
  const pushes: SeedPush[] = [];
  for (const image of registry.images ?? []) {
    const pushedAt = image.pushedAt ? Date.parse(image.pushedAt) : now;
    if (Number.isNaN(pushedAt)) {
      throw new Error(
        `Seed image ${registry.name}/${image.repository}:${image.tag} has pushedAt "${image.pushedAt}", not an ISO 8601 time`,
      );
    }
    for (let push = 0; push < (image.pushes ?? 1); push++) {
      pushes.push({
        repository: image.repository,
        tag: image.tag,
        layers: imageLayers(registry.name, image),
        pushedAt,
      });
    }
  }
  for (const history of registry.ciHistory ?? [])
    pushes.push(...ciHistoryPushes(registry.name, history, now));
  return pushes.sort((a, b) => a.pushedAt - b.pushedAt);
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
