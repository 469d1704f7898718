import { z } from 'zod';

/**
 * `spec.type` of the catalog Resource of an App Platform app that deploys images from the
 * account's DOCR registries (`metadata.name`: {@link appEntityName}).
 *
 * @public
 */
export const RESOURCE_TYPE_APP_PLATFORM_APP = 'digitalocean-app';

/**
 * The app's id in DigitalOcean's API (`GET /v2/apps/{id}`).
 *
 * @public
 */
export const ANNOTATION_APP_ID = 'digitalocean.com/app-id';

/**
 * The data centers of the app's App Platform region, comma-separated (`ams3`; `nyc1,nyc3`):
 * the slugs registries and clusters use in `digitalocean.com/region`, where an app's entity has
 * App Platform's region slug (`ams`).
 *
 * @public
 */
export const ANNOTATION_APP_DATA_CENTERS = 'digitalocean.com/app-data-centers';

/**
 * The app's components that run images from DOCR, as JSON: an array of {@link AppImage}.
 * Read it with {@link parseAppImages}.
 *
 * @public
 */
export const ANNOTATION_APP_IMAGES = 'digitalocean.com/app-images';

/**
 * The account's registries the app pulls from across regions (comma-separated names): each pull
 * crosses regions, with egress cost and latency, as for a DOKS cluster in another region.
 *
 * @public
 */
export const ANNOTATION_CROSS_REGION_REGISTRIES =
  'digitalocean.com/cross-region-registries';

/**
 * A component of an App Platform app that runs an image from DOCR: its tag or digest, and
 * whether a push of that tag deploys it.
 *
 * @public
 */
export interface AppImage {
  component: string;
  kind: 'service' | 'worker' | 'job' | 'static_site';
  /** The registry, when the spec names it or the account has one registry only. */
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
  deployOnPush: boolean;
}

const appImageSchema: z.ZodType<AppImage> = z.object({
  component: z.string(),
  kind: z.enum(['service', 'worker', 'job', 'static_site']),
  registry: z.string().optional(),
  repository: z.string(),
  tag: z.string().optional(),
  digest: z.string().optional(),
  deployOnPush: z.boolean(),
});

/**
 * The {@link AppImage}s an app entity's `digitalocean.com/app-images` annotation lists; empty
 * when it is absent or not what the provider writes.
 *
 * @public
 */
export function parseAppImages(value: string | undefined): AppImage[] {
  if (!value) return [];
  try {
    const parsed = z.array(appImageSchema).safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/**
 * Whether something running in `dataCenters` pulls from a registry in `registryRegion` across
 * regions; false when either is unknown.
 *
 * @public
 */
export function pullsAcrossRegions(
  registryRegion: string | undefined,
  dataCenters: string[],
): boolean {
  return Boolean(
    registryRegion &&
    dataCenters.length &&
    !dataCenters.includes(registryRegion),
  );
}
