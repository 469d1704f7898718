import type express from 'express';
import { typedRouter } from './typedRouter';
import type { RouteDeps } from './router';
import { z } from 'zod';
import { InputError } from '@backstage/errors';
import {
  describeValidationIssues,
  docrRegistryReadPermission,
} from '@backstage-docr/plugin-docr-common';
import { presentRegistry } from './presenters';

const daysSchema = z.coerce.number().int().min(1).max(366).default(30);

/**
 * The account's registries as the portal shows them: the list (those the caller may read), one
 * registry with the account's storage, and a registry's storage samples. From the database only.
 */
export function registryRoutes(
  deps: RouteDeps & {
    /** Asks the GC task to list the account now (the first listing not being done yet). */
    listNow?: () => Promise<void>;
  },
): express.Router {
  const { access, registries, store, policies, now, reader } = deps;
  const router = typedRouter();

  router.get('/registries', async (req, res) => {
    const creds = await access.credentials(req);
    const known = await store.currentRegistryNames();
    const readable = await access.allowedRegistries(
      creds,
      docrRegistryReadPermission,
      known,
    );
    const visible = known.filter(name => readable.has(name));
    // Policies, newest samples and run summaries of every registry, each read once for the list.
    const [effective, samples, runs] = await Promise.all([
      policies.resolveAll(visible),
      store.newestSamples(visible),
      store.runSummaries(),
    ]);
    res.json({
      items: visible.map(name =>
        presentRegistry(
          name,
          samples.get(name),
          effective.get(name)!,
          runs.get(name) ?? {},
          now(),
        ),
      ),
    });
  });

  router.get('/registries/:name', async (req, res) => {
    const name = await reader(req);
    const registry = await registries.require(name, deps.listNow);
    const [runs, account] = await Promise.all([
      store.runSummaries(),
      registries.accountStorage(),
    ]);
    res.json({
      ...presentRegistry(
        name,
        registry.storage,
        registry.effective,
        runs.get(name) ?? {},
        now(),
      ),
      account,
    });
  });

  router.get('/registries/:name/storage', async (req, res) => {
    const name = await reader(req);
    const days = daysSchema.safeParse(req.query.days);
    if (!days.success)
      throw new InputError(
        `days: ${describeValidationIssues(days.error).join('; ')}`,
      );
    const since = new Date(now().getTime() - days.data * 86_400_000);
    const samples = await store.listSamples(name, since);
    res.json({
      items: samples.map(s => ({
        storageBytes: s.storageBytes,
        sampledAt: s.sampledAt.toISOString(),
      })),
    });
  });
  return router;
}
