import { MenuItem, TextField } from '@material-ui/core';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useAccountFacts } from '../hooks/useAccountFacts';

export interface AccountUiOptions {
  /** The configured DigitalOcean account (`digitalocean.accounts[].id`); default `default`. */
  account?: string;
}

/**
 * A region DigitalOcean offers for registries, from the options endpoint as the catalog's
 * subscription entity carries it; free text while the catalog has no subscription entity yet.
 */
export function RegionField(
  props: FieldExtensionComponentProps<string, AccountUiOptions>,
) {
  const {
    formData,
    onChange,
    rawErrors,
    required,
    schema,
    uiSchema,
    idSchema,
  } = props;
  const facts = useAccountFacts(uiSchema?.['ui:options']?.account);
  const regions = facts.value?.regions ?? [];
  const common = {
    id: idSchema?.$id,
    label: schema.title ?? 'Region',
    required,
    error: Boolean(rawErrors?.length),
    margin: 'normal' as const,
    fullWidth: true,
    inputProps: { 'data-testid': 'docr-region' },
  };
  if (!regions.length) {
    return (
      <TextField
        {...common}
        value={formData ?? ''}
        onChange={e => onChange(e.target.value)}
        helperText={
          facts.loading
            ? 'Reading the regions DigitalOcean offers…'
            : 'A DigitalOcean region slug such as fra1'
        }
      />
    );
  }
  return (
    <TextField
      {...common}
      select
      value={formData ?? ''}
      onChange={e => onChange(e.target.value)}
      helperText={
        schema.description ?? 'Regions DigitalOcean offers for registries'
      }
    >
      {regions.map(region => (
        <MenuItem key={region} value={region}>
          {region}
        </MenuItem>
      ))}
    </TextField>
  );
}
