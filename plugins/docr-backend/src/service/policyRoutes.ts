import type express from 'express';
import { typedRouter } from './typedRouter';
import type { RouteDeps } from './router';
import type { JsonObject } from '@backstage/types';
import { ConflictError, InputError } from '@backstage/errors';
import {
  describeValidationIssues,
  gcPolicySchema,
} from '@backstage-docr/plugin-docr-common';
import { principalRef } from './RegistryAccess';
import { policyGrant } from './policyGrant';
import type { RegistryCreationStore } from './RegistryCreationStore';

/**
 * A registry's GC policy: the effective one (stored, config or default), and storing one (checked
 * with the creator's grant or `docr.policy.update`, audited; a policy managed by config is 409).
 */
export function policyRoutes(
  deps: RouteDeps & {
    account: string;
    creations: RegistryCreationStore;
  },
): express.Router {
  const { access, registries, store, policies, now, reader, registryName } =
    deps;
  const { creations } = deps;
  const router = typedRouter();

  router.get('/registries/:name/policy', async (req, res) => {
    const name = await reader(req);
    const effective = await policies.resolve(name);
    res.json({ ...effective, managedByConfig: effective.source === 'config' });
  });

  router.put('/registries/:name/policy', async (req, res) => {
    const creds = await access.credentials(req);
    const name = registryName(req);
    const body = await access.audited(
      req,
      creds,
      'policy-update',
      { registry: name },
      async () => {
        const grant = await policyGrant(
          { access, store, creations, registries, now },
          creds,
          name,
        );
        const parsed = gcPolicySchema.safeParse(req.body);
        if (!parsed.success) {
          throw new InputError(
            `Invalid policy: ${describeValidationIssues(parsed.error).join('; ')}`,
          );
        }
        if (policies.isManagedByConfig(name)) {
          throw new ConflictError(
            `The policy of "${name}" is managed by config (${policies.configKey(name)}); change it there`,
          );
        }
        if (!(await registries.find(name))) {
          // A registry created since the last listing: DigitalOcean says whether it exists.
          const registry = await registries.inDigitalOcean(name);
          await store.insertSamples([
            {
              registryName: name,
              storageBytes: registry.storage_usage_bytes ?? 0,
              sampledAt: now(),
            },
          ]);
        }
        await store.putStoredPolicy(
          name,
          parsed.data,
          principalRef(creds),
          now(),
        );
        // The creator's grace ends with the registry's first stored policy.
        await creations.end(deps.account, name);
        const effective = await policies.resolve(name);
        return {
          result: { ...effective, managedByConfig: false },
          meta: { policy: parsed.data as JsonObject, grant },
        };
      },
    );
    res.json(body);
  });
  return router;
}
