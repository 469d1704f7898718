import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  registryEntityRef,
  registryServerUrl,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClients } from '../services/DigitalOceanClients';
import type { BackstageApis } from '../services/backstageApis';
import type { InitiatorPermissions } from '../services/initiatorPermissions';
import { examples } from './createRegistry.examples';
import { RegistryPlanError, planRegistry } from './planRegistry';
import { rightsForRegistryPlan } from './registryRights';
import {
  describePolicy,
  describePolicyStep,
  describeTierCost,
  samePolicy,
} from './describeRegistryPlan';

/**
 * `digitalocean:registry:create`: validates everything first, then creates the registry (raising
 * the account's tier where asked), integrates DOKS clusters, hands the GC policy to the docr
 * backend and refreshes the catalog. Every change is a checkpoint, so a retried task resumes
 * where it stopped; a registry that exists with the same settings is left as it is.
 *
 * It acts as the user who ran the template, and checks before anything changes (a dry run
 * lists what would be refused): creating needs `docr.registry.create` and starting or raising
 * the tier `docr.subscription.update`, both on the account's subscription entity; adopting an
 * existing registry (one this task did not create) `docr.policy.update` on its entity; each DOKS
 * cluster `docr.cluster.integrate` on the cluster's entity. Before DigitalOcean creates the
 * registry, the docr backend records the user as its creator, whose first policy it then accepts;
 * the docr backend and the catalog are called with the user's credentials.
 */
export function createRegistryAction(options: {
  clients: DigitalOceanClients;
  apis: BackstageApis;
  permissions: InitiatorPermissions;
}) {
  return createTemplateAction({
    id: 'digitalocean:registry:create',
    description:
      'Creates a DigitalOcean Container Registry with the tier it needs at least (the account keeps a higher tier; a raise needs allowTierRaise; never lowered), a region, a garbage collection policy (none given: the docr backend default) and DOKS integrations. Idempotent; supports dry-run.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'Registry name: lowercase letters, digits and "-", at most 63 characters, no hyphen at either end',
            ),
        subscriptionTier: z =>
          z
            .string()
            .optional()
            .describe(
              'The lowest tier this registry needs: starter, basic or professional. A minimum, not a setting: the tier is the account’s, shared by all its registries; an account on this tier or higher keeps its tier, a lower one is raised (with allowTierRaise), and nothing lowers it. Default: the cheapest tier',
            ),
        minimumTier: z =>
          z
            .string()
            .optional()
            .describe('Alias of subscriptionTier (the lowest tier needed)'),
        allowTierRaise: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Consent to raise the account’s tier (billed monthly for the whole account) when the registry needs more than it has: a higher minimum, or a second registry on a one-registry tier. Without it such a run fails before changing anything, with the price after the raise',
            ),
        alsoCreating: z =>
          z
            .array(
              z.object({
                name: z.string(),
                region: z.string(),
                regionParameter: z.string().optional(),
              }),
            )
            .optional()
            .describe(
              'Registries later steps of the same template create ({ name, region, regionParameter }): checked with this one before anything changes (names free, a region each, the tier all of them need). regionParameter names the template parameter in messages',
            ),
        region: z =>
          z.string().describe('Region slug where images are stored, e.g. fra1'),
        garbageCollection: z =>
          z
            .record(z.unknown())
            .optional()
            .describe(
              'GC policy: { enabled, type, window: { days, start, duration, timezone } } (or windows: [...]). Omitted: nothing is stored and the docr backend’s configured default applies (built in: both types, Sunday 03:00 UTC for 2 hours). An explicit policy with no windows means "collect only by hand". retention: { rules: [{ repositories, keepNewest, deleteOlderThan, protect, protectSemver, untaggedManifestsOlderThan }] } deletes the tags the rules select in each window, before the GC',
            ),
        doksClusters: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'DOKS clusters to integrate, by name, UUID or catalog entity ref',
            ),
        account: z =>
          z
            .string()
            .optional()
            .describe(
              'Account id under digitalocean.accounts (default: default)',
            ),
      },
      output: {
        registryName: z => z.string(),
        serverUrl: z =>
          z
            .string()
            .describe('registry.digitalocean.com/<name>, for docker push'),
        region: z => z.string(),
        subscriptionTier: z =>
          z.string().describe('The account’s tier once the registry exists'),
        monthlyCostCents: z =>
          z
            .number()
            .describe(
              'What the account pays a month afterwards, in cents: the tier’s price plus storage overage at today’s storage',
            ),
        entityRef: z =>
          z.string().describe('The catalog entity of the registry'),
        integratedClusters: z =>
          z
            .array(z.string())
            .describe('Names of the DOKS clusters integrated with it'),
        garbageCollection: z =>
          z
            .record(z.unknown())
            .describe(
              'The GC policy handed to the docr backend, or (none given) the one it applies by default',
            ),
        changed: z =>
          z
            .boolean()
            .describe(
              'False when the registry already existed as asked and nothing changed',
            ),
      },
    },
    async handler(ctx) {
      const client = options.clients.forTask(ctx.input.account, ctx.secrets);
      let plan;
      try {
        plan = await planRegistry(client, ctx.input);
      } catch (error) {
        if (error instanceof RegistryPlanError)
          throw new InputError(error.message);
        throw error;
      }
      const { name } = plan;
      const { account } = ctx.input;
      const clusterNames = [
        ...plan.clustersAlreadyIntegrated,
        ...plan.clustersToIntegrate,
      ].map(c => c.name);
      ctx.output('registryName', name);
      ctx.output('serverUrl', registryServerUrl(name));
      ctx.output('region', plan.region);
      ctx.output('subscriptionTier', plan.tier);
      ctx.output('monthlyCostCents', plan.costAfter.totalCents);
      ctx.output('entityRef', registryEntityRef(name, account));
      ctx.output('integratedClusters', clusterNames);

      // Who may do this, checked with the user's credentials before anything changes. A registry
      // this very task created (a retried task) is the user's own: the create checkpoint says so,
      // and in that branch it never creates anything.
      const credentials = await ctx.getInitiatorCredentials();
      const createdByThisTask =
        plan.exists && !ctx.isDryRun
          ? await ctx.checkpoint({
              key: `docr.create.${name}`,
              fn: async () => false,
            })
          : false;
      await options.permissions.assertAllAllowed(
        credentials,
        rightsForRegistryPlan(plan, { account, createdByThisTask }),
      );
      const storedPolicy = plan.exists
        ? await options.apis.getStoredGcPolicy(name, credentials, account)
        : undefined;
      // No policy in the input: nothing is stored, the docr backend's default (or the policy
      // already stored for an existing registry) applies.
      const policyChanged = Boolean(
        plan.policy &&
        (!storedPolicy || !samePolicy(storedPolicy, plan.policy)),
      );
      const policyStep = describePolicyStep(plan, policyChanged, storedPolicy);
      const costLine = describeTierCost(plan);
      const steps = [
        plan.upgradeFrom &&
          `raise the account's tier from ${plan.upgradeFrom} to ${plan.tier} (${plan.tierReason}; shared by all its registries)`,
        !plan.exists &&
          `create registry ${name} (${plan.tier}, ${plan.region})`,
        plan.clustersToIntegrate.length &&
          `integrate it with DOKS clusters ${plan.clustersToIntegrate.map(c => c.name).join(', ')}`,
        policyStep,
      ].filter(Boolean);
      if (ctx.isDryRun) {
        ctx.output('garbageCollection', plan.policy ?? storedPolicy ?? {});
        ctx.logger.info(
          `Dry run: checked; would ${steps.length ? steps.join('; ') : 'change nothing'}`,
        );
        ctx.logger.info(`Dry run: ${costLine}`);
        ctx.output(
          'changed',
          !plan.exists ||
            Boolean(plan.upgradeFrom) ||
            plan.clustersToIntegrate.length > 0 ||
            policyChanged,
        );
        return;
      }
      if (plan.exists && !plan.clustersToIntegrate.length) {
        ctx.logger.info(
          `Registry ${name} already exists with these settings: nothing to create`,
        );
      }

      // Before any change: the docr backend then takes the first policy from this user only.
      if (!plan.exists)
        await options.apis.recordCreation(name, credentials, account);
      if (plan.upgradeFrom) {
        await ctx.checkpoint({
          key: `docr.subscription.${plan.tier}`,
          fn: async () => {
            await client.updateSubscription(
              plan.tier as 'starter' | 'basic' | 'professional',
            );
          },
        });
        ctx.logger.info(
          `Raised the account's tier from ${plan.upgradeFrom} to ${plan.tier} (${plan.tierReason}); ${costLine}`,
        );
      } else {
        ctx.logger.info(`Tier: ${costLine}`);
      }
      const created = await ctx.checkpoint({
        key: `docr.create.${name}`,
        fn: async () => {
          // A retry after a crash that followed the create finds the registry instead.
          if (await client.findRegistry(name)) return false;
          await client.createRegistry({
            name,
            subscriptionTier: plan.tier as 'starter' | 'basic' | 'professional',
            region: plan.region,
          });
          return true;
        },
      });
      if (created)
        ctx.logger.info(
          `Created registry ${registryServerUrl(name)} in ${plan.region}`,
        );
      if (plan.clustersToIntegrate.length) {
        const ids = plan.clustersToIntegrate.map(c => c.id!);
        await ctx.checkpoint({
          key: `docr.integrate.${name}.${ids.join(',')}`,
          fn: async () => {
            await client.addRegistriesToClusters(ids, [name]);
          },
        });
        ctx.logger.info(
          `Integrated ${name} with DOKS clusters ${plan.clustersToIntegrate.map(c => c.name).join(', ')}`,
        );
      }
      let stored = false;
      if (!plan.policy) {
        const effective = await options.apis.getEffectiveGcPolicy(
          name,
          credentials,
          account,
        );
        ctx.output('garbageCollection', effective?.policy ?? {});
        ctx.logger.info(
          storedPolicy
            ? `No garbageCollection input: ${name} keeps the GC policy stored for it (${describePolicy(storedPolicy)})`
            : `No garbageCollection input: nothing stored, ${name} follows the docr backend's configured default policy${effective ? ` (${describePolicy(effective.policy)})` : ''}`,
        );
      } else {
        ctx.output('garbageCollection', plan.policy);
        if (policyChanged) {
          stored = await options.apis.putGcPolicy(
            name,
            plan.policy,
            credentials,
            account,
          );
          if (stored)
            ctx.logger.info(
              `Stored the GC policy of ${name} in the docr backend: ${describePolicy(plan.policy)}`,
            );
        } else {
          ctx.logger.info(`The GC policy of ${name} is already as asked`);
        }
      }
      await options.apis.refreshCatalog(credentials);
      ctx.output(
        'changed',
        Boolean(created) ||
          Boolean(plan.upgradeFrom) ||
          plan.clustersToIntegrate.length > 0 ||
          stored,
      );
    },
  });
}
