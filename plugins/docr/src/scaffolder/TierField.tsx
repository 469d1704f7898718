import { MenuItem, TextField } from '@material-ui/core';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { registryLimitForTier } from '@backstage-docr/plugin-docr-common';
import type { AccountUiOptions } from './RegionField';
import { AccountFacts, useAccountFacts } from '../hooks/useAccountFacts';

const TIERS = ['starter', 'basic', 'professional'];
const rank = (tier: string | undefined) => (tier ? TIERS.indexOf(tier) : -1);
const label = (tier: string) => tier[0].toUpperCase() + tier.slice(1);

/**
 * What choosing `minimum` does to the account: the tier is the account's, shared by its
 * registries; it is kept when high enough, raised when this registry needs more (or when a
 * one-registry tier already has its registry), never lowered.
 */
export function tierConsequence(
  minimum: string | undefined,
  facts: AccountFacts | undefined,
): string {
  if (!facts?.tier) {
    return minimum
      ? `The account has no registry subscription yet: it starts on ${label(minimum)}`
      : 'The lowest tier this registry needs';
  }
  const count = facts.registryCount ?? 0;
  const now = `The account is on ${label(facts.tier)} with ${count} of ${
    facts.registryLimit ?? registryLimitForTier(facts.tier)
  } registries`;
  const wanted = rank(minimum) > rank(facts.tier) ? minimum! : facts.tier;
  const needed =
    count + 1 > registryLimitForTier(wanted) ? 'professional' : wanted;
  if (needed === facts.tier) {
    return `${now}: it keeps ${label(facts.tier)} (a tier is never lowered)`;
  }
  return `${now}: creating this registry raises the account to ${label(needed)}, billed for the whole account (the template must allow the raise)`;
}

/** The lowest tier the registry needs, beside the account's current tier and registry count. */
export function TierField(
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
  return (
    <TextField
      id={idSchema?.$id}
      select
      label={schema.title ?? 'Tier needed at least'}
      value={formData ?? ''}
      required={required}
      error={Boolean(rawErrors?.length)}
      onChange={e => onChange(e.target.value)}
      helperText={
        facts.loading
          ? 'Reading the account’s subscription…'
          : tierConsequence(formData, facts.value)
      }
      inputProps={{ 'data-testid': 'docr-tier' }}
      FormHelperTextProps={{ 'data-testid': 'docr-tier-consequence' } as object}
      margin="normal"
      fullWidth
    >
      {TIERS.map(tier => (
        <MenuItem key={tier} value={tier}>
          {label(tier)}
        </MenuItem>
      ))}
    </TextField>
  );
}
