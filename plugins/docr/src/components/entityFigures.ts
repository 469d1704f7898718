import {
  ANNOTATION_INCLUDED_STORAGE_BYTES,
  ANNOTATION_STORAGE_OVERAGE_PRICE_CENTS,
  ANNOTATION_TIER_MONTHLY_PRICE_CENTS,
  TierPricing,
} from '@backstage-docr/plugin-docr-common';

/** A numeric annotation, or undefined when the entity does not carry it. */
export const numberAnnotation = (value: string | undefined) =>
  value === undefined ? undefined : Number(value);

/** The tier's included storage and prices as the provider put them on an entity. */
export function tierPricingOf(
  annotations: Record<string, string>,
): TierPricing {
  return {
    included_storage_bytes: numberAnnotation(
      annotations[ANNOTATION_INCLUDED_STORAGE_BYTES],
    ),
    monthly_price_in_cents: numberAnnotation(
      annotations[ANNOTATION_TIER_MONTHLY_PRICE_CENTS],
    ),
    storage_overage_price_in_cents: numberAnnotation(
      annotations[ANNOTATION_STORAGE_OVERAGE_PRICE_CENTS],
    ),
  };
}
