import { RELATION_DEPENDS_ON } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { isContainerRegistry } from '../filters';
import { useRelatedResources } from '../hooks/useRelatedResources';
import { RelatedResourceLinks } from './RelatedResourceLinks';

/** On a DOKS cluster: the registries it can pull from (its DigitalOcean integration). */
export function ClusterRegistriesCard() {
  const registries = useRelatedResources(
    RELATION_DEPENDS_ON,
    isContainerRegistry,
  );
  return (
    <InfoCard title="Container registries">
      <RelatedResourceLinks
        related={registries}
        noun="registries"
        empty="This cluster is not integrated with any registry: it cannot pull private images from DigitalOcean."
      />
    </InfoCard>
  );
}
