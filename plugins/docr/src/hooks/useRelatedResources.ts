import type { Entity } from '@backstage/catalog-model';
import { useEntity, useRelatedEntities } from '@backstage/plugin-catalog-react';

/**
 * The current entity's related Resources of one type (`isOfType`, from `filters.ts`), read from
 * the catalog: a relation names its target only, and a name says nothing of its type.
 */
export function useRelatedResources(
  relation: string,
  isOfType: (entity: Entity) => boolean,
) {
  const { entity } = useEntity();
  const { entities, loading, error } = useRelatedEntities(entity, {
    type: relation,
    kind: 'resource',
  });
  return { entities: entities?.filter(isOfType), loading, error };
}
