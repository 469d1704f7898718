import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import {
  GcPolicy,
  registryServerUrl,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import { type BackstageApis, storedGcPolicy } from '../services/BackstageApis';
import type { InitiatorPermissions } from '../services/InitiatorPermissions';
import type { RegistryPlan } from './planRegistry';
import { rightsForRegistryPlan } from './registryRights';
import {
  describePolicy,
  describePolicyStep,
  describeTierCost,
  samePolicy,
} from './describeRegistryPlan';

/** What the steps of `digitalocean:registry:create` use of the action's context. */
export type StepContext = Pick<
  ActionContext<JsonObject>,
  'logger' | 'checkpoint' | 'isDryRun'
>;

type Tier = 'starter' | 'basic' | 'professional';

/** The GC policy stored for the registry before this run, and whether the run changes it. */
export interface PolicyChange {
  stored?: GcPolicy;
  changed: boolean;
}

/**
 * Who may do this, checked with the user's credentials before anything changes. A registry this
 * very task created (a retried task) is the user's own: the create checkpoint says so, and in
 * that branch it never creates anything.
 */
export async function checkRights(
  ctx: StepContext,
  permissions: InitiatorPermissions,
  plan: RegistryPlan,
  credentials: BackstageCredentials,
  account: string | undefined,
): Promise<void> {
  const createdByThisTask =
    plan.exists && !ctx.isDryRun
      ? await ctx.checkpoint({
          key: `docr.create.${plan.name}`,
          fn: async () => false,
        })
      : false;
  await permissions.assertAllAllowed(
    credentials,
    rightsForRegistryPlan(plan, { account, createdByThisTask }),
  );
}

/**
 * The policy stored for an existing registry, and whether the input's differs. No policy in the
 * input changes nothing: the docr backend's default (or the policy already stored) applies.
 */
export async function comparePolicy(
  apis: BackstageApis,
  plan: RegistryPlan,
  credentials: BackstageCredentials,
  account: string | undefined,
): Promise<PolicyChange> {
  const stored = plan.exists
    ? storedGcPolicy(
        await apis.getEffectiveGcPolicy(plan.name, credentials, account),
      )
    : undefined;
  const changed = Boolean(
    plan.policy && (!stored || !samePolicy(stored, plan.policy)),
  );
  return { stored, changed };
}

/** Logs what a real run would do, and says whether it would change anything. */
export function reportDryRun(
  ctx: StepContext,
  plan: RegistryPlan,
  policy: PolicyChange,
): boolean {
  const steps = [
    plan.upgradeFrom &&
      `raise the account's tier from ${plan.upgradeFrom} to ${plan.tier} (${plan.tierReason}; shared by all its registries)`,
    !plan.exists &&
      `create registry ${plan.name} (${plan.tier}, ${plan.region})`,
    plan.clustersToIntegrate.length &&
      `integrate it with DOKS clusters ${plan.clustersToIntegrate.map(c => c.name).join(', ')}`,
    describePolicyStep(plan, policy.changed, policy.stored),
  ].filter(Boolean);
  ctx.logger.info(
    `Dry run: checked; would ${steps.length ? steps.join('; ') : 'change nothing'}`,
  );
  ctx.logger.info(`Dry run: ${describeTierCost(plan)}`);
  return (
    !plan.exists ||
    Boolean(plan.upgradeFrom) ||
    plan.clustersToIntegrate.length > 0 ||
    policy.changed
  );
}

/** Raises the account's tier when the plan says so (once per task), and logs what it costs. */
export async function raiseTier(
  ctx: StepContext,
  client: DigitalOceanClient,
  plan: RegistryPlan,
): Promise<void> {
  const costLine = describeTierCost(plan);
  if (!plan.upgradeFrom) {
    ctx.logger.info(`Tier: ${costLine}`);
    return;
  }
  await ctx.checkpoint({
    key: `docr.subscription.${plan.tier}`,
    fn: async () => {
      await client.updateSubscription(plan.tier as Tier);
    },
  });
  ctx.logger.info(
    `Raised the account's tier from ${plan.upgradeFrom} to ${plan.tier} (${plan.tierReason}); ${costLine}`,
  );
}

/** Creates the registry unless it exists; true when this task created it. */
export async function createIfMissing(
  ctx: StepContext,
  client: DigitalOceanClient,
  plan: RegistryPlan,
): Promise<boolean> {
  const { name } = plan;
  const created = await ctx.checkpoint({
    key: `docr.create.${name}`,
    fn: async () => {
      // A retry after a crash that followed the create finds the registry instead.
      if (await client.findRegistry(name)) return false;
      await client.createRegistry({
        name,
        subscriptionTier: plan.tier as Tier,
        region: plan.region,
      });
      return true;
    },
  });
  if (created) {
    ctx.logger.info(
      `Created registry ${registryServerUrl(name)} in ${plan.region}`,
    );
  }
  return created;
}

/** Integrates the registry with the DOKS clusters that do not have it yet. */
export async function integrateClusters(
  ctx: StepContext,
  client: DigitalOceanClient,
  plan: RegistryPlan,
): Promise<void> {
  if (!plan.clustersToIntegrate.length) return;
  const ids = plan.clustersToIntegrate.map(c => c.id ?? c.name);
  await ctx.checkpoint({
    key: `docr.integrate.${plan.name}.${ids.join(',')}`,
    fn: async () => {
      await client.addRegistriesToClusters(ids, [plan.name]);
    },
  });
  ctx.logger.info(
    `Integrated ${plan.name} with DOKS clusters ${plan.clustersToIntegrate.map(c => c.name).join(', ')}`,
  );
}

/**
 * Hands the input's GC policy to the docr backend when it differs from the stored one. Returns
 * the policy that applies (the backend's default when the input has none) and whether it stored.
 */
export async function applyPolicy(
  ctx: StepContext,
  apis: BackstageApis,
  plan: RegistryPlan,
  change: PolicyChange,
  credentials: BackstageCredentials,
  account: string | undefined,
): Promise<{ policy: GcPolicy | {}; stored: boolean }> {
  const { name } = plan;
  if (!plan.policy) {
    const effective = await apis.getEffectiveGcPolicy(
      name,
      credentials,
      account,
    );
    ctx.logger.info(
      change.stored
        ? `No garbageCollection input: ${name} keeps the GC policy stored for it (${describePolicy(change.stored)})`
        : `No garbageCollection input: nothing stored, ${name} follows the docr backend's configured default policy${effective ? ` (${describePolicy(effective.policy)})` : ''}`,
    );
    return { policy: effective?.policy ?? {}, stored: false };
  }
  if (!change.changed) {
    ctx.logger.info(`The GC policy of ${name} is already as asked`);
    return { policy: plan.policy, stored: false };
  }
  const stored = await apis.putGcPolicy(
    name,
    plan.policy,
    credentials,
    account,
  );
  if (stored) {
    ctx.logger.info(
      `Stored the GC policy of ${name} in the docr backend: ${describePolicy(plan.policy)}`,
    );
  }
  return { policy: plan.policy, stored };
}
