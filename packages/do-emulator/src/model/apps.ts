import { createHash, randomUUID } from 'node:crypto';
import type {
  App,
  AppDeployment,
  AppImageSourceSpec,
  AppSpec,
} from '@backstage-docr/digitalocean-openapi';
import { notFound } from './errors';

/** Generated types mark server-set fields readonly; the emulator is the server that sets them. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type AppState = Mutable<App> & { id: string; spec: AppSpec };
export type DeploymentState = Mutable<AppDeployment> & {
  id: string;
  created_at: string;
};

export type DeploymentType = 'MANUAL' | 'DEPLOY_ON_PUSH';

/** The spec's component lists that can run a container image. */
export const IMAGE_COMPONENT_KINDS = [
  'services',
  'workers',
  'jobs',
  'static_sites',
] as const;

/**
 * App Platform's regions (`GET /v2/apps/regions`, abridged): the slug an app spec names and the
 * data centers behind it, which are the slugs DOCR and DOKS regions use.
 */
const APP_REGIONS: Record<
  string,
  { label: string; flag: string; continent: string; data_centers: string[] }
> = {
  ams: {
    label: 'Amsterdam',
    flag: 'netherlands',
    continent: 'Europe',
    data_centers: ['ams3'],
  },
  fra: {
    label: 'Frankfurt',
    flag: 'germany',
    continent: 'Europe',
    data_centers: ['fra1'],
  },
  lon: {
    label: 'London',
    flag: 'uk',
    continent: 'Europe',
    data_centers: ['lon1'],
  },
  nyc: {
    label: 'New York',
    flag: 'usa',
    continent: 'North America',
    data_centers: ['nyc1', 'nyc3'],
  },
  sfo: {
    label: 'San Francisco',
    flag: 'usa',
    continent: 'North America',
    data_centers: ['sfo2', 'sfo3'],
  },
  sgp: {
    label: 'Singapore',
    flag: 'singapore',
    continent: 'Asia',
    data_centers: ['sgp1'],
  },
  syd: {
    label: 'Sydney',
    flag: 'australia',
    continent: 'Australia',
    data_centers: ['syd1'],
  },
};

export function appRegion(slug: string) {
  const region = APP_REGIONS[slug];
  if (!region) throw new Error(`Unknown App Platform region "${slug}"`);
  return { slug, ...region, default: slug === 'nyc', disabled: false };
}

/** Each component of the spec that runs a container image, with its kind and image. */
export function imageComponents(spec: AppSpec): Array<{
  kind: (typeof IMAGE_COMPONENT_KINDS)[number];
  name: string;
  image: AppImageSourceSpec;
}> {
  return IMAGE_COMPONENT_KINDS.flatMap(kind =>
    ((spec[kind] ?? []) as Array<{ name?: string; image?: AppImageSourceSpec }>)
      .filter(component => component.image)
      .map(component => ({
        kind,
        name: component.name ?? '',
        image: component.image!,
      })),
  );
}

/** A deployment of `spec`, ACTIVE from `createdAtMs` (the emulator builds nothing). */
export function newDeployment(
  spec: AppSpec,
  cause: string,
  createdAtMs: number,
): DeploymentState {
  const at = new Date(createdAtMs).toISOString();
  const names = (kind: (typeof IMAGE_COMPONENT_KINDS)[number]) =>
    ((spec[kind] ?? []) as Array<{ name?: string }>).map(c => ({
      name: c.name,
    }));
  return {
    id: randomUUID(),
    cause,
    created_at: at,
    updated_at: at,
    phase: 'ACTIVE',
    phase_last_updated_at: at,
    spec: structuredClone(spec),
    services: names('services'),
    workers: names('workers'),
    jobs: names('jobs'),
    static_sites: names('static_sites'),
    tier_slug: 'basic',
  };
}

/**
 * An App Platform app and its deployments, newest first; the newest ACTIVE one is the app's
 * active deployment, the ones before it are SUPERSEDED (the rollback targets).
 */
export class EmulatedApp {
  readonly deployments: DeploymentState[] = [];
  /** What started each deployment, by id (the `deployment_types` filter's values). */
  private readonly types = new Map<string, DeploymentType>();

  constructor(readonly app: AppState) {}

  /** Deploys `spec` (the app's spec from now on), superseding the active deployment. */
  deploy(
    spec: AppSpec,
    cause: string,
    atMs: number,
    type: DeploymentType = 'MANUAL',
  ): DeploymentState {
    const deployment = newDeployment(spec, cause, atMs);
    this.types.set(deployment.id, type);
    const at = deployment.created_at;
    for (const previous of this.deployments) {
      if (previous.phase === 'ACTIVE') {
        previous.phase = 'SUPERSEDED';
        previous.phase_last_updated_at = at;
        previous.updated_at = at;
      }
    }
    this.deployments.unshift(deployment);
    this.app.spec = structuredClone(spec);
    this.app.updated_at = at;
    this.app.last_deployment_created_at = at;
    this.app.active_deployment = deployment;
    return deployment;
  }

  deploymentsOfTypes(types: ReadonlySet<string>): DeploymentState[] {
    if (!types.size) return this.deployments;
    return this.deployments.filter(d => types.has(this.types.get(d.id)!));
  }

  getDeployment(id: string): DeploymentState {
    const deployment = this.deployments.find(d => d.id === id);
    if (!deployment) throw notFound(`deployment "${id}"`);
    return deployment;
  }
}

/** A new app (no deployment yet) as DigitalOcean reports it, with its default ingress. */
export function newApp(
  spec: AppSpec,
  options: { id?: string; createdAtMs: number },
): EmulatedApp {
  const id = options.id ?? randomUUID();
  const at = new Date(options.createdAtMs).toISOString();
  const suffix = createHash('sha256').update(id).digest('hex').slice(0, 5);
  const host = `${spec.name}-${suffix}.ondigitalocean.app`;
  return new EmulatedApp({
    id,
    owner_uuid: 'a8b7c6d5-0000-4000-8000-000000000001',
    spec: structuredClone(spec),
    default_ingress: `https://${host}`,
    live_url: `https://${host}`,
    live_url_base: `https://${host}`,
    live_domain: host,
    created_at: at,
    updated_at: at,
    region: appRegion(spec.region ?? 'nyc'),
    tier_slug: 'basic',
  });
}
