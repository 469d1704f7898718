import { ANNOTATION_VIEW_URL, Entity } from '@backstage/catalog-model';
import type {
  App,
  AppImageSourceSpec,
  Registry,
} from '@backstage-docr/digitalocean-openapi';
import {
  ANNOTATION_ACCOUNT,
  ANNOTATION_APP_DATA_CENTERS,
  ANNOTATION_APP_ID,
  ANNOTATION_APP_IMAGES,
  ANNOTATION_CROSS_REGION_REGISTRIES,
  ANNOTATION_REGION,
  AppImage,
  RESOURCE_TYPE_APP_PLATFORM_APP,
  accountNamespace,
  appEntityName,
  pullsAcrossRegions,
} from '@backstage-docr/plugin-docr-common';
import { CONSOLE_URL, EntityContext, managedBy, spec } from './entityParts';
import { registryEntityRef } from './entities';

const COMPONENT_KINDS = [
  ['services', 'service'],
  ['workers', 'worker'],
  ['jobs', 'job'],
  ['static_sites', 'static_site'],
] as const;

/**
 * The app's components that run an image from DOCR. A DOCR image names its registry in
 * `registry`; DigitalOcean's spec leaves it empty, which means the account's registry when it
 * has only one, and is left unknown otherwise.
 */
export function appImages(app: App, registries: Registry[]): AppImage[] {
  const soleRegistry = registries.length === 1 ? registries[0].name : undefined;
  return COMPONENT_KINDS.flatMap(([list, kind]) =>
    (
      (app.spec[list] ?? []) as Array<{
        name?: string;
        image?: AppImageSourceSpec;
      }>
    )
      .filter(component => component.image?.registry_type === 'DOCR')
      .map(({ name, image }) => {
        const registry = image!.registry || soleRegistry;
        return {
          component: name ?? '',
          kind,
          ...(registry ? { registry } : {}),
          repository: image!.repository ?? '',
          ...(image!.digest
            ? { digest: image!.digest }
            : { tag: image!.tag || 'latest' }),
          deployOnPush: Boolean(image!.deploy_on_push?.enabled),
        };
      }),
  );
}

/**
 * A Resource for each App Platform app that runs an image from one of the account's DOCR
 * registries, `dependsOn` those registries. An app in another region than a registry it pulls
 * from names it in `digitalocean.com/cross-region-registries`.
 */
export function appEntities(
  apps: App[],
  registries: Registry[],
  context: EntityContext,
): Entity[] {
  const known = new Map(registries.map(r => [r.name!, r]));
  return apps.flatMap(app => {
    const images = appImages(app, registries).filter(
      image => !image.registry || known.has(image.registry),
    );
    return images.length ? [appEntity(app, images, known, context)] : [];
  });
}

function appEntity(
  app: App,
  images: AppImage[],
  registries: Map<string, Registry>,
  context: EntityContext,
): Entity {
  const name = app.spec.name;
  const viewUrl = `${CONSOLE_URL}/apps/${app.id}`;
  const dataCenters = app.region?.data_centers ?? [];
  const used = [
    ...new Set(images.flatMap(i => (i.registry ? [i.registry] : []))),
  ].sort();
  const crossRegion = used.filter(registry =>
    pullsAcrossRegions(registries.get(registry)?.region, dataCenters),
  );
  const region = app.region?.slug ?? app.spec.region;
  const annotations: Record<string, string> = {
    ...managedBy(context.account),
    [ANNOTATION_VIEW_URL]: viewUrl,
    [ANNOTATION_ACCOUNT]: context.account,
    [ANNOTATION_APP_ID]: app.id!,
    [ANNOTATION_APP_IMAGES]: JSON.stringify(images),
  };
  if (region) annotations[ANNOTATION_REGION] = region;
  if (dataCenters.length)
    annotations[ANNOTATION_APP_DATA_CENTERS] = dataCenters.join(',');
  if (crossRegion.length)
    annotations[ANNOTATION_CROSS_REGION_REGISTRIES] = crossRegion.join(',');
  const links = [
    ...(app.live_url
      ? [{ url: app.live_url, title: 'Live app', icon: 'web' }]
      : []),
    { url: viewUrl, title: 'DigitalOcean console', icon: 'cloud' },
  ];
  const across = crossRegion.length
    ? `; pulls across regions from ${crossRegion
        .map(r => `${r} (${registries.get(r)?.region})`)
        .join(', ')}`
    : '';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: appEntityName(name),
      namespace: accountNamespace(context.account),
      title: name,
      description: `App Platform app${region ? ` in ${region}` : ''}, ${images.length} component${
        images.length === 1 ? '' : 's'
      } from DOCR${across}`,
      annotations,
      tags: ['digitalocean', 'app-platform'],
      links,
    },
    spec: {
      ...spec(context, RESOURCE_TYPE_APP_PLATFORM_APP),
      dependsOn: used.map(registry =>
        registryEntityRef(registry, context.account),
      ),
    },
  };
}
