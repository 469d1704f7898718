import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  registryEntityName,
  registryServerUrl,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClients } from '../services/DigitalOceanClients';
import type { BackstageApis } from '../services/backstageApis';
import { examples } from './createRegistry.examples';
import { RegistryPlanError, planRegistry } from './planRegistry';

/**
 * `digitalocean:registry:create`: validates everything first, then creates the registry (raising
 * the account's tier where asked), integrates DOKS clusters, hands the GC policy to the docr
 * backend and refreshes the catalog. Every change is a checkpoint, so a retried task resumes
 * where it stopped; a registry that exists with the same settings is left as it is.
 */
export function createRegistryAction(options: {
  clients: DigitalOceanClients;
  apis: BackstageApis;
}) {
  return createTemplateAction({
    id: 'digitalocean:registry:create',
    description:
      'Creates a DigitalOcean Container Registry with a tier, region, garbage collection policy and DOKS integrations. Idempotent; supports dry-run.',
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
            .describe(
              'starter, basic or professional. The tier is the account’s, shared by all its registries',
            ),
        region: z =>
          z.string().describe('Region slug where images are stored, e.g. fra1'),
        garbageCollection: z =>
          z
            .record(z.unknown())
            .optional()
            .describe(
              'GC policy: { enabled, type, window: { days, start, duration, timezone } } (or windows: [...]); default: both types, Sunday 03:00 UTC for 2 hours',
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
        subscriptionTier: z => z.string(),
        entityRef: z =>
          z.string().describe('The catalog entity of the registry'),
        integratedClusters: z =>
          z
            .array(z.string())
            .describe('Names of the DOKS clusters integrated with it'),
        garbageCollection: z =>
          z
            .record(z.unknown())
            .describe('The GC policy handed to the docr backend'),
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
      const clusterNames = [
        ...plan.clustersAlreadyIntegrated,
        ...plan.clustersToIntegrate,
      ].map(c => c.name);
      ctx.output('registryName', name);
      ctx.output('serverUrl', registryServerUrl(name));
      ctx.output('region', plan.region);
      ctx.output('subscriptionTier', plan.tier);
      ctx.output(
        'entityRef',
        stringifyEntityRef({
          kind: 'Resource',
          namespace: 'default',
          name: registryEntityName(name),
        }),
      );
      ctx.output('integratedClusters', clusterNames);
      ctx.output('garbageCollection', plan.policy);

      const steps = [
        plan.upgradeFrom &&
          `raise the account's tier from ${plan.upgradeFrom} to ${plan.tier} (shared by all its registries)`,
        !plan.exists &&
          `create registry ${name} (${plan.tier}, ${plan.region})`,
        plan.clustersToIntegrate.length &&
          `integrate it with DOKS clusters ${plan.clustersToIntegrate.map(c => c.name).join(', ')}`,
        `store its GC policy (${plan.policy.type}; ${plan.policy.windows.length} window(s))`,
      ].filter(Boolean);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: checked; would ${steps.join('; ')}`);
        ctx.output(
          'changed',
          !plan.exists || plan.clustersToIntegrate.length > 0,
        );
        return;
      }
      if (plan.exists && !plan.clustersToIntegrate.length) {
        ctx.logger.info(
          `Registry ${name} already exists with these settings: nothing to create`,
        );
      }

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
          `Raised the account's tier from ${plan.upgradeFrom} to ${plan.tier}`,
        );
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
      const stored = await options.apis.putGcPolicy(name, plan.policy);
      if (stored)
        ctx.logger.info(`Stored the GC policy of ${name} in the docr backend`);
      await options.apis.refreshCatalog();
      ctx.output(
        'changed',
        Boolean(created) ||
          Boolean(plan.upgradeFrom) ||
          plan.clustersToIntegrate.length > 0,
      );
    },
  });
}
