import useAsync from 'react-use/esm/useAsync';
import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  useEntity,
  useRelatedEntities,
} from '@backstage/plugin-catalog-react';

const lower = (text: string) => text.toLocaleLowerCase('en-US');

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

/**
 * As {@link useRelatedResources} for several relations at once, from one catalog request: a card
 * that shows two kinds of related Resources asks the catalog once, not once per relation (a page
 * has few connections to the backend, and every request beside the cards' data waits for one).
 */
export function useRelatedResourceGroups(
  groups: { relation: string; isOfType: (entity: Entity) => boolean }[],
) {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const wanted = new Set(groups.map(g => lower(g.relation)));
  const relations = (entity.relations ?? []).filter(
    r =>
      wanted.has(lower(r.type)) &&
      lower(parseEntityRef(r.targetRef).kind) === 'resource',
  );
  const refs = [...new Set(relations.map(r => r.targetRef))];
  const key = refs.join('\n');
  const { value, loading, error } = useAsync(async () => {
    if (!refs.length) return [];
    const { items } = await catalogApi.getEntitiesByRefs({ entityRefs: refs });
    return items.filter((item): item is Entity => Boolean(item));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, key]);
  return groups.map(({ relation, isOfType }) => {
    const targets = new Set(
      relations
        .filter(r => lower(r.type) === lower(relation))
        .map(r => lower(r.targetRef)),
    );
    const entities = value?.filter(
      e => targets.has(lower(stringifyEntityRef(e))) && isOfType(e),
    );
    return { entities, loading, error };
  });
}
