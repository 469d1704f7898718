import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_APP_DATA_CENTERS,
  pullsAcrossRegions,
} from '@backstage-docr/plugin-docr-common';
import { CrossRegionWarning } from './CrossRegionWarning';
import { RelatedResourceLinks } from './RelatedResourceLinks';

const dataCentersOf = (app: Entity) =>
  (app.metadata.annotations?.[ANNOTATION_APP_DATA_CENTERS] ?? '')
    .split(',')
    .filter(Boolean);

/**
 * On a registry: the App Platform apps that deploy from it (its `dependencyOf` relations), and a
 * warning naming those that run in another region.
 */
export function RegistryAppsList(props: {
  apps: { entities?: Entity[]; loading: boolean; error?: Error };
  registryRegion?: string;
}) {
  const { apps, registryRegion } = props;
  const crossing = (apps.entities ?? []).filter(app =>
    pullsAcrossRegions(registryRegion, dataCentersOf(app)),
  );
  return (
    <>
      <RelatedResourceLinks
        related={apps}
        noun="apps"
        empty="No App Platform app deploys from this registry"
      />
      {crossing.length > 0 && (
        <CrossRegionWarning
          pullers={crossing.map(
            app =>
              `${app.metadata.title ?? app.metadata.name} runs in ${dataCentersOf(app).join(', ')}`,
          )}
          registries={`the registry in ${registryRegion}`}
          remedy="A registry in the app's region avoids it."
        />
      )}
    </>
  );
}
