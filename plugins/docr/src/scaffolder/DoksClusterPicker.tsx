import {
  Checkbox,
  FormControl,
  FormHelperText,
  InputLabel,
  ListItemText,
  MenuItem,
  Select,
} from '@material-ui/core';
import { WarningPanel } from '@backstage/core-components';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { ANNOTATION_REGION } from '@backstage-docr/plugin-docr-common';
import { useAccountClusters } from '../hooks/useAccountClusters';
import type { AccountUiOptions } from './RegionField';

export interface ClusterPickerUiOptions extends AccountUiOptions {
  /** The form field holding the registry's region; default `region`. */
  regionField?: string;
}

/** Clusters whose region differs from the registry's: each pull crosses regions. */
export function crossRegionClusters(
  clusters: Entity[],
  selected: string[],
  registryRegion: string | undefined,
): Array<{ name: string; region: string }> {
  if (!registryRegion) return [];
  return clusters
    .filter(c => selected.includes(stringifyEntityRef(c)))
    .map(c => ({
      name: c.metadata.title ?? c.metadata.name,
      region: c.metadata.annotations?.[ANNOTATION_REGION] ?? '',
    }))
    .filter(c => c.region && c.region !== registryRegion);
}

/**
 * DOKS clusters of the account, from the catalog, to integrate with the registry (their pull
 * secrets). Warns when a cluster is in another region than the registry: every image pull then
 * crosses regions, with egress cost and latency.
 */
export function DoksClusterPicker(
  props: FieldExtensionComponentProps<string[], ClusterPickerUiOptions>,
) {
  const {
    formData,
    onChange,
    rawErrors,
    schema,
    uiSchema,
    formContext,
    idSchema,
  } = props;
  const options = uiSchema?.['ui:options'] ?? {};
  const account = options.account ?? 'default';
  const clusters = useAccountClusters(account);
  const selected = formData ?? [];
  const registryRegion = (formContext?.formData ?? {})[
    options.regionField ?? 'region'
  ] as string | undefined;
  const crossing = crossRegionClusters(
    clusters.value ?? [],
    selected,
    registryRegion,
  );
  const label = schema.title ?? 'DOKS clusters';
  const id = idSchema?.$id ?? 'docr-doks-clusters';

  return (
    <FormControl margin="normal" fullWidth error={Boolean(rawErrors?.length)}>
      <InputLabel id={`${id}-label`}>{label}</InputLabel>
      <Select
        labelId={`${id}-label`}
        multiple
        value={selected}
        onChange={e => onChange(e.target.value as string[])}
        renderValue={value =>
          (value as string[])
            .map(ref => ref.replace(/^resource:default\//, ''))
            .join(', ')
        }
        inputProps={{ 'data-testid': 'docr-doks-clusters' }}
      >
        {(clusters.value ?? []).map(cluster => {
          const ref = stringifyEntityRef(cluster);
          const region = cluster.metadata.annotations?.[ANNOTATION_REGION];
          return (
            <MenuItem key={ref} value={ref}>
              <Checkbox checked={selected.includes(ref)} />
              <ListItemText
                primary={cluster.metadata.title ?? cluster.metadata.name}
                secondary={region}
              />
            </MenuItem>
          );
        })}
      </Select>
      <FormHelperText>
        {clusters.error
          ? `Could not read the clusters from the catalog: ${clusters.error.message}`
          : (schema.description ??
            'The clusters get pull secrets for this registry')}
      </FormHelperText>
      {crossing.length > 0 && (
        <div data-testid="docr-cross-region">
          <WarningPanel
            severity="warning"
            title="Pulls across regions"
            message={`${crossing
              .map(c => `${c.name} is in ${c.region}`)
              .join(
                '; ',
              )}, the registry in ${registryRegion}: every pull crosses regions (egress cost and latency). A registry in the cluster’s region avoids it.`}
          />
        </div>
      )}
    </FormControl>
  );
}
