import { Typography } from '@material-ui/core';
import { RELATION_DEPENDS_ON } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import {
  EntityRefLinks,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';

/** On a DOKS cluster: the registries it can pull from (its DigitalOcean integration). */
export function ClusterRegistriesCard() {
  const { entity } = useEntity();
  const registries = getEntityRelations(entity, RELATION_DEPENDS_ON, {
    kind: 'resource',
  }).filter(ref => ref.name.startsWith('docr-'));
  return (
    <InfoCard title="Container registries">
      {registries.length ? (
        <EntityRefLinks entityRefs={registries} defaultKind="resource" />
      ) : (
        <Typography variant="body2" color="textSecondary">
          This cluster is not integrated with any registry: it cannot pull
          private images from DigitalOcean.
        </Typography>
      )}
    </InfoCard>
  );
}
