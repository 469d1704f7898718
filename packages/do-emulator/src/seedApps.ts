import type {
  AppImageSourceSpec,
  AppSpec,
} from '@backstage-docr/digitalocean-openapi';
import type { EmulatedAccount } from './model/account';
import { IMAGE_COMPONENT_KINDS } from './model/apps';

const DAY_MS = 24 * 3600 * 1000;

/**
 * A DOCR image as an app spec names it, where a seed may also pin a past push of a tag:
 * `pin: {tag: latest, pushesAgo: 2}` becomes the `digest` the tag pointed at two pushes before
 * its current one (0: its current digest), the way an app pinned to a digest runs an image that
 * is untagged since.
 */
export type SeedAppImage = Partial<AppImageSourceSpec> & {
  pin?: { tag: string; pushesAgo?: number };
};

/**
 * A component of a seed app's spec: DigitalOcean's fields, those it defaults (`instance_count`,
 * an image's `tag`) optional.
 */
export type SeedAppComponent = {
  name: string;
  image?: SeedAppImage;
} & Record<string, unknown>;

/** DigitalOcean's app spec with seed components, the fields it defaults optional. */
export type SeedAppSpec = Partial<
  Omit<AppSpec, (typeof IMAGE_COMPONENT_KINDS)[number]>
> & {
  name: string;
} & {
  [K in (typeof IMAGE_COMPONENT_KINDS)[number]]?: SeedAppComponent[];
};

/** The digests each `registry/repository:tag` was pushed with while seeding, oldest first. */
export type SeedPushHistory = Map<string, string[]>;

export const pushKey = (registry: string, repository: string, tag: string) =>
  `${registry}/${repository}:${tag}`;

/**
 * An App Platform app. `spec` is DigitalOcean's app spec (name, region, services, workers, jobs,
 * static sites; an `image` may use `pin`). `previousDeployments`, oldest first, are the
 * deployments before the active one, each naming the images its components ran then (the other
 * components as in `spec`); by default a day apart before `deployedAt` (default: when the seed is
 * applied), when the active deployment was made.
 */
export interface SeedApp {
  id?: string;
  spec: SeedAppSpec;
  deployedAt?: string;
  previousDeployments?: Array<{
    createdAt?: string;
    cause?: string;
    images: Record<string, Partial<SeedAppImage>>;
  }>;
}

export function applySeedApps(
  account: EmulatedAccount,
  apps: SeedApp[],
  pushes: SeedPushHistory,
): void {
  for (const seed of apps) {
    const deployedAt = seedTime(seed, seed.deployedAt, account.now());
    const previous = seed.previousDeployments ?? [];
    const releases = [
      ...previous.map((release, i) => ({
        spec: withImages(seed.spec as AppSpec, release.images),
        at: seedTime(
          seed,
          release.createdAt,
          deployedAt - (previous.length - i) * DAY_MS,
        ),
        cause: release.cause ?? 'manual deployment',
      })),
      {
        spec: seed.spec as AppSpec,
        at: deployedAt,
        cause: 'manual deployment',
      },
    ].map(release => ({
      ...release,
      spec: resolvePins(account, release.spec, pushes),
    }));
    const [first, ...later] = releases;
    const app = account.appPlatform.create(first.spec, {
      id: seed.id,
      createdAtMs: first.at,
      cause: first.cause,
    });
    for (const release of later)
      app.deploy(release.spec, release.cause, release.at);
  }
}

function seedTime(seed: SeedApp, iso: string | undefined, fallback: number) {
  if (iso === undefined) return fallback;
  const at = Date.parse(iso);
  if (Number.isNaN(at))
    throw new Error(
      `Seed app ${seed.spec.name} has "${iso}", not an ISO 8601 time`,
    );
  return at;
}

/**
 * The spec with the named components' image tag, digest or pin replaced; an image pinned by digest
 * has no `deploy_on_push` (DigitalOcean allows it with a tag only).
 */
function withImages(
  spec: AppSpec,
  images: Record<string, Partial<SeedAppImage>>,
): AppSpec {
  return mapImages(spec, (name, image) => {
    const change = images[name];
    if (!change) return image;
    const { tag, digest, pin, deploy_on_push, ...kept } = image as SeedAppImage;
    const byTag = change.tag !== undefined;
    return {
      ...kept,
      ...(byTag && deploy_on_push ? { deploy_on_push } : {}),
      ...change,
    } as AppImageSourceSpec;
  });
}

function resolvePins(
  account: EmulatedAccount,
  spec: AppSpec,
  pushes: SeedPushHistory,
): AppSpec {
  return mapImages(spec, (name, image) => {
    const { pin, ...source } = image as SeedAppImage;
    if (!pin) return image;
    const registry = account.appPlatform.docrRegistryOf(source);
    const repository = source.repository ?? '';
    const pushesAgo = pin.pushesAgo ?? 0;
    const digest = registry
      ? pinnedDigest(account, pushes, registry, repository, pin.tag, pushesAgo)
      : undefined;
    if (!digest)
      throw new Error(
        `Seed app ${spec.name}, ${name}: no push of ${registry ?? '?'}/${repository}:${pin.tag} ${pushesAgo} pushes ago`,
      );
    return { ...source, digest } as AppImageSourceSpec;
  });
}

/** The digest of the push `pushesAgo` before the tag's current one (seeded pushes only). */
function pinnedDigest(
  account: EmulatedAccount,
  pushes: SeedPushHistory,
  registry: string,
  repository: string,
  tag: string,
  pushesAgo: number,
): string | undefined {
  const history = pushes.get(pushKey(registry, repository, tag));
  if (history) return history[history.length - 1 - pushesAgo];
  if (pushesAgo > 0) return undefined;
  return account.registries
    .get(registry)
    ?.storage.repositories.get(repository)
    ?.tags.get(tag);
}

function mapImages(
  spec: AppSpec,
  change: (component: string, image: AppImageSourceSpec) => AppImageSourceSpec,
): AppSpec {
  const copy = structuredClone(spec);
  for (const kind of IMAGE_COMPONENT_KINDS) {
    for (const component of (copy[kind] ?? []) as Array<{
      name?: string;
      image?: AppImageSourceSpec;
    }>) {
      if (component.image)
        component.image = change(component.name ?? '', component.image);
    }
  }
  return copy;
}
