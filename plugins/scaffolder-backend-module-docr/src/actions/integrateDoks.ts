import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import {
  clusterEntityRef,
  docrClusterIntegratePermission,
  docrPolicyUpdatePermission,
  registryEntityRef,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClients } from '../services/DigitalOceanClients';
import type { InitiatorPermissions } from '../services/initiatorPermissions';
import { describeUnknownClusters, resolveClusters } from './clusters';

/**
 * `digitalocean:registry:integrate-doks`: gives DOKS clusters pull access to a registry (or takes
 * it away). Idempotent: only clusters whose state differs are changed, and reported. Changing
 * anything needs `docr.policy.update` on the registry's catalog entity and
 * `docr.cluster.integrate` on each changed cluster's, checked with the credentials of the user
 * who ran the template before any change (also in a dry run, which lists every refusal).
 */
export function integrateDoksAction(options: {
  clients: DigitalOceanClients;
  permissions: InitiatorPermissions;
}) {
  return createTemplateAction({
    id: 'digitalocean:registry:integrate-doks',
    description:
      'Adds a registry to DOKS clusters (or removes it), by cluster name, UUID or entity ref. Idempotent; supports dry-run.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Let two clusters pull from acme-prod',
        example: yaml.stringify({
          steps: [
            {
              id: 'integrate',
              action: 'digitalocean:registry:integrate-doks',
              input: {
                registryName: 'acme-prod',
                clusters: ['prod-ams3', 'staging-fra1'],
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        registryName: z => z.string().describe('The registry'),
        clusters: z =>
          z
            .array(z.string())
            .min(1)
            .describe('DOKS clusters by name, UUID or catalog entity ref'),
        remove: z =>
          z
            .boolean()
            .optional()
            .describe('Remove the integration instead of adding it'),
        account: z =>
          z
            .string()
            .optional()
            .describe('Account id under digitalocean.accounts'),
      },
      output: {
        changedClusters: z => z.array(z.string()),
        unchangedClusters: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      const client = options.clients.forTask(ctx.input.account, ctx.secrets);
      const { registryName, remove = false } = ctx.input;
      const [registry, clusters] = await Promise.all([
        client.findRegistry(registryName),
        client.listClusters(),
      ]);
      if (!registry)
        throw new NotFoundError(
          `registryName: no registry "${registryName}" in the account`,
        );
      const { found, unknown } = resolveClusters(
        ctx.input.clusters,
        clusters,
        ctx.input.account,
      );
      if (unknown.length)
        throw new InputError(describeUnknownClusters(unknown, clusters));
      const integrated = (c: (typeof found)[number]) =>
        Boolean(c.registry_enabled && c.registries?.includes(registryName));
      const changed = found.filter(c =>
        remove ? integrated(c) : !integrated(c),
      );
      const unchanged = found.filter(c => !changed.includes(c));
      ctx.output(
        'changedClusters',
        changed.map(c => c.name),
      );
      ctx.output(
        'unchangedClusters',
        unchanged.map(c => c.name),
      );
      const verb = remove ? 'remove' : 'add';
      if (!changed.length) {
        ctx.logger.info(
          `Nothing to ${verb}: ${found.map(c => c.name).join(', ')} already as asked`,
        );
        return;
      }
      const { account } = ctx.input;
      await options.permissions.assertAllAllowed(
        await ctx.getInitiatorCredentials(),
        [
          {
            permission: docrPolicyUpdatePermission,
            resourceRef: registryEntityRef(registryName, account),
            reason: `${verb} registry ${registryName} ${remove ? 'from' : 'to'} DOKS clusters`,
          },
          ...changed.map(c => ({
            permission: docrClusterIntegratePermission,
            resourceRef: clusterEntityRef(c.name, account),
            reason: `${verb} registry ${registryName} ${remove ? 'from' : 'to'} DOKS cluster ${c.name}`,
          })),
        ],
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would ${verb} ${registryName} ${remove ? 'from' : 'to'} ${changed.map(c => c.name).join(', ')}`,
        );
        return;
      }
      const ids = changed.map(c => c.id!);
      await ctx.checkpoint({
        key: `docr.integrate-doks.${verb}.${registryName}.${ids.join(',')}`,
        fn: async () => {
          if (remove)
            await client.removeRegistriesFromClusters(ids, [registryName]);
          else await client.addRegistriesToClusters(ids, [registryName]);
        },
      });
      ctx.logger.info(
        `${remove ? 'Removed' : 'Added'} ${registryName} ${remove ? 'from' : 'to'} ${changed.map(c => c.name).join(', ')}`,
      );
    },
  });
}
