import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  registryEntityRef,
  registryServerUrl,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClients } from '../services/DigitalOceanClients';
import type { BackstageApis } from '../services/BackstageApis';
import type { InitiatorPermissions } from '../services/InitiatorPermissions';
import { examples } from './createRegistry.examples';
import type { ActionZod } from './actionSchema';
import { planRegistry } from './planRegistry';
import {
  applyPolicy,
  checkRights,
  comparePolicy,
  createIfMissing,
  integrateClusters,
  raiseTier,
  reportDryRun,
} from './createRegistrySteps';

/** The input of `digitalocean:registry:create`. */
const createRegistryInput = {
  name: (z: ActionZod) =>
    z
      .string()
      .describe(
        'Registry name: lowercase letters, digits and "-", at most 63 characters, no hyphen at either end',
      ),
  subscriptionTier: (z: ActionZod) =>
    z
      .string()
      .optional()
      .describe(
        'The lowest tier this registry needs: starter, basic or professional. A minimum, not a setting: the tier is the account’s, shared by all its registries; an account on this tier or higher keeps its tier, a lower one is raised (with allowTierRaise), and nothing lowers it. Default: the cheapest tier',
      ),
  minimumTier: (z: ActionZod) =>
    z
      .string()
      .optional()
      .describe('Alias of subscriptionTier (the lowest tier needed)'),
  allowTierRaise: (z: ActionZod) =>
    z
      .boolean()
      .optional()
      .describe(
        'Consent to raise the account’s tier (billed monthly for the whole account) when the registry needs more than it has: a higher minimum, or a second registry on a one-registry tier. Without it such a run fails before changing anything, with the price after the raise',
      ),
  alsoCreating: (z: ActionZod) =>
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
  region: (z: ActionZod) =>
    z.string().describe('Region slug where images are stored, e.g. fra1'),
  garbageCollection: (z: ActionZod) =>
    z
      .record(z.unknown())
      .optional()
      .describe(
        'GC policy: { enabled, type, window: { days, start, duration, timezone } } (or windows: [...]). Omitted: nothing is stored and the docr backend’s configured default applies (built in: both types, Sunday 03:00 UTC for 2 hours). An explicit policy with no windows means "collect only by hand". retention: { rules: [{ repositories, keepNewest, deleteOlderThan, protect, protectSemver, untaggedManifestsOlderThan }] } deletes the tags the rules select in each window, before the GC',
      ),
  doksClusters: (z: ActionZod) =>
    z
      .array(z.string())
      .optional()
      .describe(
        'DOKS clusters to integrate, by name, UUID or catalog entity ref',
      ),
  account: (z: ActionZod) =>
    z
      .string()
      .optional()
      .describe('Account id under digitalocean.accounts (default: default)'),
};

/** The output of `digitalocean:registry:create`. */
const createRegistryOutput = {
  registryName: (z: ActionZod) => z.string(),
  serverUrl: (z: ActionZod) =>
    z.string().describe('registry.digitalocean.com/<name>, for docker push'),
  region: (z: ActionZod) => z.string(),
  subscriptionTier: (z: ActionZod) =>
    z.string().describe('The account’s tier once the registry exists'),
  monthlyCostCents: (z: ActionZod) =>
    z
      .number()
      .describe(
        'What the account pays a month afterwards, in cents: the tier’s price plus storage overage at today’s storage',
      ),
  entityRef: (z: ActionZod) =>
    z.string().describe('The catalog entity of the registry'),
  integratedClusters: (z: ActionZod) =>
    z
      .array(z.string())
      .describe('Names of the DOKS clusters integrated with it'),
  garbageCollection: (z: ActionZod) =>
    z
      .record(z.unknown())
      .describe(
        'The GC policy handed to the docr backend, or (none given) the one it applies by default',
      ),
  changed: (z: ActionZod) =>
    z
      .boolean()
      .describe(
        'False when the registry already existed as asked and nothing changed',
      ),
};

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
    schema: { input: createRegistryInput, output: createRegistryOutput },
    async handler(ctx) {
      const { account } = ctx.input;
      const client = options.clients.forTask(account, ctx.secrets);
      const plan = await planRegistry(client, ctx.input);
      const { name } = plan;
      ctx.output('registryName', name);
      ctx.output('serverUrl', registryServerUrl(name));
      ctx.output('region', plan.region);
      ctx.output('subscriptionTier', plan.tier);
      ctx.output('monthlyCostCents', plan.costAfter.totalCents);
      ctx.output('entityRef', registryEntityRef(name, account));
      ctx.output(
        'integratedClusters',
        [...plan.clustersAlreadyIntegrated, ...plan.clustersToIntegrate].map(
          c => c.name,
        ),
      );

      const credentials = await ctx.getInitiatorCredentials();
      await checkRights(ctx, options.permissions, plan, credentials, account);
      const policy = await comparePolicy(
        options.apis,
        plan,
        credentials,
        account,
      );
      if (ctx.isDryRun) {
        ctx.output('garbageCollection', plan.policy ?? policy.stored ?? {});
        ctx.output('changed', reportDryRun(ctx, plan, policy));
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
      await raiseTier(ctx, client, plan);
      const created = await createIfMissing(ctx, client, plan);
      await integrateClusters(ctx, client, plan);
      const applied = await applyPolicy(
        ctx,
        options.apis,
        plan,
        policy,
        credentials,
        account,
      );
      ctx.output('garbageCollection', applied.policy);
      await options.apis.refreshCatalog(credentials);
      ctx.output(
        'changed',
        created ||
          Boolean(plan.upgradeFrom) ||
          plan.clustersToIntegrate.length > 0 ||
          applied.stored,
      );
    },
  });
}
