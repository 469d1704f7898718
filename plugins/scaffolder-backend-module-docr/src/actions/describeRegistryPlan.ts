import type { GcPolicy } from '@backstage-docr/plugin-docr-common';
import type { RegistryPlan } from './planRegistry';
import { describeCost } from './planTier';

/** The dry run's words for what happens to the GC policy (false: nothing). */
export function describePolicyStep(
  plan: RegistryPlan,
  policyChanged: boolean,
  storedPolicy: GcPolicy | undefined,
): string | false {
  if (plan.policy)
    return (
      policyChanged && `store its GC policy (${describePolicy(plan.policy)})`
    );
  if (storedPolicy)
    return 'keep its stored GC policy (no garbageCollection input)';
  return "leave its GC policy to the docr backend's configured default (no garbageCollection input)";
}

/** The account's tier afterwards and what it pays a month. */
export function describeTierCost(plan: RegistryPlan): string {
  if (plan.upgradeFrom) {
    const before = plan.costBefore
      ? describeCost(plan.costBefore)
      : plan.upgradeFrom;
    return `the account will pay ${describeCost(plan.costAfter)} (was ${before})`;
  }
  if (plan.startsSubscription)
    return `the account starts a ${plan.tier} subscription: ${describeCost(plan.costAfter)}`;
  const needs =
    plan.tier !== plan.requestedTier
      ? ` (the registry needs ${plan.requestedTier})`
      : '';
  return `the account stays on ${plan.tier}${needs}: ${describeCost(plan.costAfter)}`;
}

/** "sun 03:00 for PT2H (UTC)", or what a policy without windows means. */
export function describePolicy(policy: GcPolicy): string {
  if (!policy.enabled) return 'disabled: never collected, not even by hand';
  if (!policy.windows.length)
    return `${policy.type}; no windows: collected only by hand ("GC now"), never on a schedule`;
  return `${policy.type}; ${policy.windows
    .map(
      w => `${w.days.join(',')} ${w.start} for ${w.duration} (${w.timezone})`,
    )
    .join(', ')}`;
}

/** Two validated policies are the same when their canonical JSON is (keys sorted). */
export function samePolicy(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value as object)
          .sort()
          .map(key => [
            key,
            canonical((value as Record<string, unknown>)[key]),
          ]),
      );
    }
    return value;
  };
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
