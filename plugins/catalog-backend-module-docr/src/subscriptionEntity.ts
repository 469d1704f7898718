import {
  ANNOTATION_VIEW_URL,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type {
  Registry,
  Subscription,
  SubscriptionTier,
} from '@backstage-docr/digitalocean-openapi';
import {
  ANNOTATION_ACCOUNT,
  ANNOTATION_AVAILABLE_REGIONS,
  ANNOTATION_INCLUDED_STORAGE_BYTES,
  ANNOTATION_MONTHLY_COST_CENTS,
  ANNOTATION_REGISTRY_COUNT,
  ANNOTATION_REGISTRY_LIMIT,
  ANNOTATION_STORAGE_OVERAGE_PRICE_CENTS,
  ANNOTATION_STORAGE_USAGE_BYTES,
  ANNOTATION_SUBSCRIPTION_TIER,
  ANNOTATION_TIER_MONTHLY_PRICE_CENTS,
  RESOURCE_TYPE_REGISTRY_SUBSCRIPTION,
  estimateMonthlyCost,
  registryLimitForTier,
  accountNamespace,
  subscriptionEntityName,
} from '@backstage-docr/plugin-docr-common';
import { CONSOLE_URL, EntityContext, managedBy, spec } from './entityParts';

export function subscriptionEntityRef(accountId: string): string {
  return stringifyEntityRef({
    kind: 'resource',
    namespace: accountNamespace(accountId),
    name: subscriptionEntityName(accountId),
  });
}

/**
 * The account's registry subscription: DigitalOcean bills its tier once per account, and the
 * tier's included storage covers all the account's registries together, so the figures that
 * matter for the bill are the account's: the registries' storage summed, their count against
 * the tier's limit, and the month's cost with overage, from the options endpoint's prices.
 */
export function subscriptionEntity(
  subscription: Subscription | undefined,
  registries: Registry[],
  options: {
    subscription_tiers: SubscriptionTier[];
    available_regions: string[];
  },
  context: EntityContext,
): Entity {
  const tiers = options.subscription_tiers;
  const slug = subscription?.tier?.slug;
  const tier = tiers.find(t => t.slug === slug) ?? subscription?.tier;
  const storageBytes = registries.reduce(
    (sum, r) => sum + (r.storage_usage_bytes ?? 0),
    0,
  );
  const viewUrl = `${CONSOLE_URL}/registry/settings`;
  const annotations: Record<string, string> = {
    ...managedBy(context.account),
    [ANNOTATION_VIEW_URL]: viewUrl,
    [ANNOTATION_ACCOUNT]: context.account,
    [ANNOTATION_REGISTRY_COUNT]: String(registries.length),
    [ANNOTATION_STORAGE_USAGE_BYTES]: String(storageBytes),
    // For the scaffolder form's region field: the catalog already has them, DigitalOcean is not asked.
    [ANNOTATION_AVAILABLE_REGIONS]: options.available_regions.join(','),
  };
  if (slug) {
    annotations[ANNOTATION_SUBSCRIPTION_TIER] = slug;
    annotations[ANNOTATION_REGISTRY_LIMIT] = String(registryLimitForTier(slug));
  }
  if (tier) {
    const figures: Array<[string, number | undefined]> = [
      [ANNOTATION_INCLUDED_STORAGE_BYTES, tier.included_storage_bytes],
      [ANNOTATION_TIER_MONTHLY_PRICE_CENTS, tier.monthly_price_in_cents],
      [
        ANNOTATION_STORAGE_OVERAGE_PRICE_CENTS,
        tier.storage_overage_price_in_cents,
      ],
    ];
    for (const [key, value] of figures) {
      if (value !== undefined) annotations[key] = String(value);
    }
    annotations[ANNOTATION_MONTHLY_COST_CENTS] = String(
      estimateMonthlyCost(tier, storageBytes).totalCents,
    );
  }
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: subscriptionEntityName(context.account),
      namespace: accountNamespace(context.account),
      title: `Container registry subscription (${context.account})`,
      description: slug
        ? `DigitalOcean account ${context.account}: ${tier?.name ?? slug} tier, shared by its ${registries.length} registries`
        : `DigitalOcean account ${context.account}: no container registry subscription`,
      annotations,
      tags: ['digitalocean', 'container-registry'],
      links: [{ url: viewUrl, title: 'DigitalOcean console', icon: 'cloud' }],
    },
    spec: spec(context, RESOURCE_TYPE_REGISTRY_SUBSCRIPTION),
  };
}
