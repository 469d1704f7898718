import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { DoksClusterPicker } from './DoksClusterPicker';
import { RegionField } from './RegionField';
import { RegistryNameField, validateRegistryName } from './RegistryNameField';
import { TierField } from './TierField';

/** The field names templates use in `ui:field`. */
export const FIELD_NAMES = {
  registryName: 'DocrRegistryName',
  region: 'DocrRegion',
  doksClusters: 'DocrDoksClusters',
  tier: 'DocrTier',
} as const;

/** The scaffolder form fields, for the new frontend system (see `alpha.tsx`). */
export const registryNameFormField = createFormField({
  name: FIELD_NAMES.registryName,
  component: RegistryNameField,
  validation: validateRegistryName,
});
export const regionFormField = createFormField({
  name: FIELD_NAMES.region,
  component: RegionField,
});
export const doksClustersFormField = createFormField({
  name: FIELD_NAMES.doksClusters,
  component: DoksClusterPicker,
});
export const tierFormField = createFormField({
  name: FIELD_NAMES.tier,
  component: TierField,
});
