import {
  Link,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { RELATION_DEPENDS_ON } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_APP_DATA_CENTERS,
  ANNOTATION_APP_IMAGES,
  ANNOTATION_CROSS_REGION_REGISTRIES,
  ANNOTATION_REGION,
  ANNOTATION_REGISTRY_NAME,
  AppImage,
  parseAppImages,
  registryServerUrl,
} from '@backstage-docr/plugin-docr-common';
import { isContainerRegistry } from '../filters';
import { useRelatedResources } from '../hooks/useRelatedResources';
import { CrossRegionWarning } from './CrossRegionWarning';
import { RelatedResourceLinks } from './RelatedResourceLinks';

const KIND_LABELS: Record<AppImage['kind'], string> = {
  service: 'Service',
  worker: 'Worker',
  job: 'Job',
  static_site: 'Static site',
};

/** `registry.digitalocean.com/acme/web:v1`, `…/web@sha256:…`; the registry left out when unknown. */
export function imageReference(image: AppImage): string {
  const repository = image.registry
    ? `${registryServerUrl(image.registry)}/${image.repository}`
    : image.repository;
  return image.digest
    ? `${repository}@${image.digest}`
    : `${repository}:${image.tag ?? 'latest'}`;
}

/** The app's images in DOCR: each component's, and whether a push deploys it. */
function AppImagesTable(props: { images: ReturnType<typeof parseAppImages> }) {
  return (
    <Table size="small" aria-label="DOCR images">
      <TableHead>
        <TableRow>
          <TableCell style={{ whiteSpace: 'nowrap' }}>Component</TableCell>
          <TableCell>Image</TableCell>
          <TableCell style={{ whiteSpace: 'nowrap' }}>Deploy on push</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.images.map(image => (
          <TableRow key={`${image.kind}/${image.component}`}>
            <TableCell>
              {image.component}
              <Typography variant="caption" display="block">
                {KIND_LABELS[image.kind]}
              </Typography>
            </TableCell>
            <TableCell>
              <code>{imageReference(image)}</code>
              {!image.registry && (
                <Typography variant="caption" display="block">
                  The app spec names no registry and the account has several
                </Typography>
              )}
            </TableCell>
            <TableCell>
              {image.deployOnPush
                ? `Yes: a push of ${image.tag ?? 'latest'} deploys it`
                : 'No'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * On an App Platform app: where it runs, its live URL, the registries it deploys from (through
 * the catalog) with a warning when it pulls across regions, and each component's DOCR image:
 * its tag or digest and whether a push of the tag deploys it.
 */
export function AppPlatformAppCard() {
  const { entity } = useEntity();
  const annotations = entity.metadata.annotations ?? {};
  const images = parseAppImages(annotations[ANNOTATION_APP_IMAGES]);
  const registries = useRelatedResources(
    RELATION_DEPENDS_ON,
    isContainerRegistry,
  );
  const region = annotations[ANNOTATION_REGION];
  const dataCenters = annotations[ANNOTATION_APP_DATA_CENTERS];
  // Only a web address: any entity of the type may carry a "Live app" link (javascript: too).
  const liveUrl = entity.metadata.links?.find(
    l => l.title === 'Live app' && /^https?:\/\//i.test(l.url),
  );
  const crossRegion = (annotations[ANNOTATION_CROSS_REGION_REGISTRIES] ?? '')
    .split(',')
    .filter(Boolean);
  const regionOf = (name: string) =>
    registries.entities?.find(
      r => r.metadata.annotations?.[ANNOTATION_REGISTRY_NAME] === name,
    )?.metadata.annotations?.[ANNOTATION_REGION];
  const name = entity.metadata.title ?? entity.metadata.name;

  return (
    <InfoCard
      title="App Platform app"
      subheader={
        region
          ? `${region}${dataCenters ? ` (${dataCenters})` : ''}`
          : undefined
      }
    >
      {liveUrl && (
        <Typography variant="body2" gutterBottom>
          Live:{' '}
          <Link href={liveUrl.url} target="_blank" rel="noopener">
            {liveUrl.url}
          </Link>
        </Typography>
      )}
      <Typography variant="body2" component="div" gutterBottom>
        Deploys from:{' '}
        <RelatedResourceLinks
          related={registries}
          noun="registries"
          empty="none of the account's registries"
        />
      </Typography>
      {crossRegion.length > 0 && (
        <CrossRegionWarning
          pullers={[`${name} runs in ${dataCenters ?? region}`]}
          registries={crossRegion
            .map(r => (regionOf(r) ? `${r} is in ${regionOf(r)}` : r))
            .join(', ')}
          remedy="An app in the registry's region, or a registry in the app's, avoids it."
        />
      )}
      <AppImagesTable images={images} />
    </InfoCard>
  );
}
