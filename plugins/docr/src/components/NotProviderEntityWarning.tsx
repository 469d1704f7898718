import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import { WarningPanel } from '@backstage/core-components';
import { digitalOceanProviderLocation } from '@backstage-docr/plugin-docr-common';
import { registryRefOf } from '../api';

/**
 * Where the entity comes from when it is not the DigitalOcean provider's (a location a user
 * registered, holding the registry's ref before the provider emitted it), else undefined.
 */
export function foreignEntityLocation(entity: Entity): string | undefined {
  const location = entity.metadata.annotations?.[ANNOTATION_LOCATION];
  const expected = digitalOceanProviderLocation(registryRefOf(entity).account);
  return location !== undefined && location !== expected ? location : undefined;
}

/**
 * Says, on a registry's page, that its entity is not the one the DigitalOcean provider emitted:
 * the shipped permission policy gives such an entity's owners no rights on the registry.
 */
export function NotProviderEntityWarning(props: { entity: Entity }) {
  const location = foreignEntityLocation(props.entity);
  if (!location) return null;
  const { name } = registryRefOf(props.entity);
  return (
    <WarningPanel
      severity="warning"
      title="This entity is not the DigitalOcean provider's"
      message={`It comes from ${location}, not from the DigitalOcean catalog provider, so it grants its owners no rights on registry ${name} (no GC, policy changes or push credentials). If it holds the registry's name before the provider's entity, unregister that location: the provider's entity takes its place at the next refresh.`}
    />
  );
}
