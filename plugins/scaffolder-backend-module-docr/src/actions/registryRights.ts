import {
  clusterEntityRef,
  docrClusterIntegratePermission,
  docrPolicyUpdatePermission,
  docrRegistryCreatePermission,
  docrSubscriptionUpdatePermission,
  registryEntityRef,
  subscriptionEntityRef,
} from '@backstage-docr/plugin-docr-common';
import type { RequiredRight } from '../services/InitiatorPermissions';
import type { RegistryPlan } from './planRegistry';

/**
 * What `digitalocean:registry:create` needs, as the user, to carry out the plan: creating the
 * registry and starting or raising the account's billed tier on the account's subscription
 * entity, adopting an existing registry on its entity, integrating each DOKS cluster on the
 * cluster's. A registry this very task created (a retried task) is the user's own: adopting it
 * needs nothing more than creating it did.
 */
export function rightsForRegistryPlan(
  plan: RegistryPlan,
  options: { account?: string; createdByThisTask: boolean },
): RequiredRight[] {
  const { name } = plan;
  const { account, createdByThisTask } = options;
  const subscription = subscriptionEntityRef(account);
  const rights: RequiredRight[] = [];
  if (!plan.exists || createdByThisTask) {
    rights.push({
      permission: docrRegistryCreatePermission,
      resourceRef: subscription,
      reason: plan.exists
        ? `finish creating registry ${name}`
        : `create registry ${name}`,
    });
  }
  if (plan.upgradeFrom || plan.startsSubscription) {
    rights.push({
      permission: docrSubscriptionUpdatePermission,
      resourceRef: subscription,
      reason: plan.upgradeFrom
        ? `raise the account's tier from ${plan.upgradeFrom} to ${plan.tier}`
        : `start the account's subscription on ${plan.tier}`,
    });
  }
  if (plan.exists && !createdByThisTask) {
    rights.push({
      permission: docrPolicyUpdatePermission,
      resourceRef: registryEntityRef(name, account),
      reason: `adopt the existing registry ${name} (set its GC policy${plan.clustersToIntegrate.length ? ', integrate it with DOKS clusters' : ''})`,
    });
  }
  for (const cluster of plan.clustersToIntegrate) {
    rights.push({
      permission: docrClusterIntegratePermission,
      resourceRef: clusterEntityRef(cluster.name, account),
      reason: `integrate DOKS cluster ${cluster.name} with registry ${name}`,
    });
  }
  return rights;
}
