import { useEntity } from '@backstage/plugin-catalog-react';
import { ANNOTATION_ACCOUNT } from '@backstage-docr/plugin-docr-common';
import { registryRefOf } from '../api';
import { isContainerRegistry } from '../filters';
import { SavingsCard } from './SavingsCard';

/** The savings of the entity's registry, or of the account on its subscription's page. */
export function EntitySavingsCard() {
  const { entity } = useEntity();
  if (isContainerRegistry(entity)) {
    const { name, account } = registryRefOf(entity);
    return <SavingsCard subject={{ registry: name, account }} />;
  }
  const account = entity.metadata.annotations?.[ANNOTATION_ACCOUNT];
  return <SavingsCard subject={{ account }} />;
}
