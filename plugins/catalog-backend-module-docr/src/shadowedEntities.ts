import {
  ANNOTATION_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/** An entity ref of the provider's that the catalog holds from another location. */
export interface ShadowedEntity {
  entityRef: string;
  /** Where the entity the catalog holds instead comes from (its managed-by-location). */
  heldBy: string;
}

/**
 * Reads the catalog's entities by ref: each ref's `backstage.io/managed-by-location`, or
 * undefined when the catalog has no entity of that ref.
 */
export type EntityLocationReader = (
  entityRefs: string[],
) => Promise<Array<string | undefined>>;

/**
 * The provider's entities that lost the catalog's location-key conflict: an entity of the same
 * ref, registered first from another location (a user's YAML, say), holds the ref, so the
 * provider's is not in the catalog. Such an entity carries no docr rights (the shipped policy
 * requires the provider's location), but it is what the registry's page shows.
 */
export async function shadowedEntities(
  emitted: Entity[],
  providerLocation: string,
  read: EntityLocationReader,
): Promise<ShadowedEntity[]> {
  const refs = emitted.map(entity => stringifyEntityRef(entity));
  const locations = await read(refs);
  return refs.flatMap((entityRef, i) => {
    const heldBy = locations[i];
    return heldBy !== undefined && heldBy !== providerLocation
      ? [{ entityRef, heldBy }]
      : [];
  });
}

/** What the log says of a shadowed entity: what happened, what it means, what to do. */
export function shadowedEntityWarning(
  shadowed: ShadowedEntity,
  providerName: string,
): string {
  return `${shadowed.entityRef} is held by an entity registered from ${shadowed.heldBy}, not by ${providerName}: the catalog kept the entity registered first, so the DigitalOcean entity is not in the catalog. The registered entity grants no docr rights and its page shows DigitalOcean's figures under someone else's claim; unregister ${shadowed.heldBy} (or remove the entity from it) so the provider's entity takes its place.`;
}

/** An {@link EntityLocationReader} over a catalog client's `getEntitiesByRefs`. */
export function entityLocationReader(
  getEntitiesByRefs: (entityRefs: string[]) => Promise<{
    items: Array<Entity | undefined>;
  }>,
): EntityLocationReader {
  return async entityRefs => {
    const { items } = await getEntitiesByRefs(entityRefs);
    return items.map(entity =>
      entity
        ? (entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? '')
        : undefined,
    );
  };
}
