import type { KubernetesCluster } from '@backstage-docr/digitalocean-openapi';
import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  clusterEntityRef,
  docrClusterIntegratePermission,
  docrPolicyUpdatePermission,
  registryEntityRef,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClients } from '../services/DigitalOceanClients';
import type {
  InitiatorPermissions,
  RequiredRight,
} from '../services/InitiatorPermissions';
import { describeUnknownClusters, resolveClusters } from './clusters';
import type { ActionZod } from './actionSchema';
import { examples } from './integrateDoks.examples';

/** The input of `digitalocean:registry:integrate-doks`. */
const integrateDoksInput = {
  registryName: (z: ActionZod) => z.string().describe('The registry'),
  clusters: (z: ActionZod) =>
    z
      .array(z.string())
      .min(1)
      .describe('DOKS clusters by name, UUID or catalog entity ref'),
  remove: (z: ActionZod) =>
    z
      .boolean()
      .optional()
      .describe('Remove the integration instead of adding it'),
  account: (z: ActionZod) =>
    z.string().optional().describe('Account id under digitalocean.accounts'),
};

/** The output of `digitalocean:registry:integrate-doks`. */
const integrateDoksOutput = {
  changedClusters: (z: ActionZod) => z.array(z.string()),
  unchangedClusters: (z: ActionZod) => z.array(z.string()),
};

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
    examples,
    schema: { input: integrateDoksInput, output: integrateDoksOutput },
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
      const { changed, unchanged } = splitByState(found, registryName, remove);
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
        rightsToChange(registryName, changed, { account, remove }),
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

/** The clusters whose integration the run changes, and those already as asked. */
function splitByState(
  found: KubernetesCluster[],
  registryName: string,
  remove: boolean,
) {
  const integrated = (c: KubernetesCluster) =>
    Boolean(c.registry_enabled && c.registries?.includes(registryName));
  const changed = found.filter(c => (remove ? integrated(c) : !integrated(c)));
  const unchanged = found.filter(c => !changed.includes(c));
  return { changed, unchanged };
}

/** Changing needs `docr.policy.update` on the registry and `docr.cluster.integrate` on each cluster. */
function rightsToChange(
  registryName: string,
  changed: KubernetesCluster[],
  options: { account?: string; remove: boolean },
): RequiredRight[] {
  const { account, remove } = options;
  const verb = remove ? 'remove' : 'add';
  const direction = remove ? 'from' : 'to';
  return [
    {
      permission: docrPolicyUpdatePermission,
      resourceRef: registryEntityRef(registryName, account),
      reason: `${verb} registry ${registryName} ${direction} DOKS clusters`,
    },
    ...changed.map(c => ({
      permission: docrClusterIntegratePermission,
      resourceRef: clusterEntityRef(c.name, account),
      reason: `${verb} registry ${registryName} ${direction} DOKS cluster ${c.name}`,
    })),
  ];
}
