import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { docrPlugin } from '../plugin';
import { DoksClusterPicker } from './DoksClusterPicker';
import { FIELD_NAMES } from './formFields';
import { RegionField } from './RegionField';
import { RegistryNameField, validateRegistryName } from './RegistryNameField';
import { TierField } from './TierField';

/**
 * The scaffolder form fields for apps on the legacy frontend system (inside `ScaffolderFieldExtensions`).
 *
 * @public
 */
export const DocrRegistryNameFieldExtension = docrPlugin.provide(
  createScaffolderFieldExtension({
    name: FIELD_NAMES.registryName,
    component: RegistryNameField,
    validation: validateRegistryName,
  }),
);
/** @public */
export const DocrRegionFieldExtension = docrPlugin.provide(
  createScaffolderFieldExtension({
    name: FIELD_NAMES.region,
    component: RegionField,
  }),
);
/** @public */
export const DocrDoksClustersFieldExtension = docrPlugin.provide(
  createScaffolderFieldExtension({
    name: FIELD_NAMES.doksClusters,
    component: DoksClusterPicker,
  }),
);
/** @public */
export const DocrTierFieldExtension = docrPlugin.provide(
  createScaffolderFieldExtension({
    name: FIELD_NAMES.tier,
    component: TierField,
  }),
);
