import { Box, LinearProgress, Typography } from '@material-ui/core';
import { RELATION_DEPENDENCY_OF } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { EntityRefLinks, useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_REGISTRY_COUNT,
  ANNOTATION_REGISTRY_LIMIT,
  ANNOTATION_STORAGE_USAGE_BYTES,
  ANNOTATION_SUBSCRIPTION_TIER,
  estimateMonthlyCost,
  storageUsageRatio,
} from '@backstage-docr/plugin-docr-common';
import { registryRefOf } from '../api';
import { isContainerRegistry } from '../filters';
import { useRegistryDetail } from '../hooks/useRegistryDetail';
import { useRelatedResources } from '../hooks/useRelatedResources';
import { numberAnnotation, tierPricingOf } from './entityFigures';
import { formatBytes, formatCents } from './format';
import { storageLevel } from './RegistryCard';

/**
 * The account's registry subscription: its tier, the storage of all its registries against the
 * tier's included storage, their count against the tier's limit, and the month's cost, once for
 * the account. Storage comes from the docr API (the same figure the registry cards show) and
 * falls back to the catalog's, which is as old as the last catalog refresh.
 */
export function SubscriptionCard() {
  const { entity } = useEntity();
  const annotations = entity.metadata.annotations ?? {};
  const containerRegistries =
    useRelatedResources(RELATION_DEPENDENCY_OF, isContainerRegistry).entities ??
    [];
  // Any registry's detail carries the account's storage; one request, not one per registry.
  const anyRegistry = containerRegistries[0]
    ? registryRefOf(containerRegistries[0])
    : undefined;
  const live = useRegistryDetail(anyRegistry).value?.account;

  const tier = tierPricingOf(annotations);
  const storage =
    live?.storageBytes ??
    numberAnnotation(annotations[ANNOTATION_STORAGE_USAGE_BYTES]) ??
    0;
  const count =
    live?.registryCount ??
    numberAnnotation(annotations[ANNOTATION_REGISTRY_COUNT]);
  const limit = annotations[ANNOTATION_REGISTRY_LIMIT];
  const ratio = storageUsageRatio(tier, storage);
  const cost = estimateMonthlyCost(tier, storage);

  return (
    <InfoCard title="Container registry subscription">
      <Typography variant="body2" data-testid="subscription-tier">
        <strong>Tier:</strong>{' '}
        {annotations[ANNOTATION_SUBSCRIPTION_TIER] ?? 'none'}
        {tier.monthly_price_in_cents !== undefined &&
          ` (${formatCents(tier.monthly_price_in_cents)} a month)`}
      </Typography>
      <Typography variant="body2" data-testid="subscription-registries">
        <strong>Registries:</strong> {count ?? '—'}
        {limit ? ` of ${limit} the tier allows` : ''}
      </Typography>
      <Box my={1}>
        <Typography variant="body2" data-testid="subscription-storage">
          <strong>Storage of all registries:</strong> {formatBytes(storage)}
          {tier.included_storage_bytes
            ? ` of ${formatBytes(tier.included_storage_bytes)} included (${Math.round((ratio ?? 0) * 100)} %)`
            : ''}
          {live ? '' : ' (as of the last catalog refresh)'}
        </Typography>
        {ratio !== undefined && (
          <LinearProgress
            variant="determinate"
            value={Math.min(100, ratio * 100)}
            data-level={storageLevel(ratio)}
          />
        )}
      </Box>
      <Typography variant="body2" data-testid="subscription-cost">
        <strong>This month:</strong> ≈ {formatCents(cost.totalCents)} (tier{' '}
        {formatCents(cost.baseCents)}
        {cost.overageBytes > 0
          ? ` + ${formatBytes(cost.overageBytes)} over at ${formatCents(cost.overageCents)}`
          : ''}
        )
      </Typography>
      <Box mt={1}>
        <Typography variant="body2" component="div">
          <strong>Its registries:</strong>{' '}
          {containerRegistries.length ? (
            <EntityRefLinks
              entityRefs={containerRegistries}
              defaultKind="resource"
            />
          ) : (
            'none'
          )}
        </Typography>
      </Box>
    </InfoCard>
  );
}
