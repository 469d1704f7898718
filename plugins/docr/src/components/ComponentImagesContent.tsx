import { Box, Typography } from '@material-ui/core';
import { MissingAnnotationEmptyState } from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_ACCOUNT,
  ANNOTATION_CONTAINER_REPOSITORY,
  parseContainerRepository,
  registryEntityRef,
} from '@backstage-docr/plugin-docr-common';
import { RepositoryTagsTable } from './RepositoryTagsTable';

/**
 * A Component's images: the tags of the repository its annotation names
 * (`digitalocean.com/container-repository: <registry>/<repository>`), newest first, with their
 * sizes and pull commands, and a link to the registry's page.
 */
export function ComponentImagesContent() {
  const { entity } = useEntity();
  const value = entity.metadata.annotations?.[ANNOTATION_CONTAINER_REPOSITORY];
  const target = value ? parseContainerRepository(value) : undefined;
  // A Component names its account like the registry's entity does, when not the default one.
  const account = entity.metadata.annotations?.[ANNOTATION_ACCOUNT];
  if (!target) {
    return (
      <MissingAnnotationEmptyState
        annotation={ANNOTATION_CONTAINER_REPOSITORY}
      />
    );
  }
  return (
    <>
      <Box mb={2}>
        <Typography variant="body2" data-testid="images-registry">
          Images in registry.digitalocean.com/{target.registry}/
          {target.repository}, kept in{' '}
          <EntityRefLink
            entityRef={registryEntityRef(target.registry, account)}
            title={target.registry}
          />
        </Typography>
      </Box>
      <RepositoryTagsTable
        registry={{ name: target.registry, account }}
        repository={target.repository}
      />
    </>
  );
}
