import type express from 'express';
import { typedRouter } from './typedRouter';
import type { RouteDeps } from './router';
import { z } from 'zod';
import { InputError } from '@backstage/errors';
import {
  describeValidationIssues,
  docrGarbageCollectionRunPermission,
  gcTypeSchema,
} from '@backstage-docr/plugin-docr-common';
import type { GarbageCollector } from '../gc/GarbageCollector';
import { principalRef } from './RegistryAccess';
import { presentRun } from './presenters';

const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * A registry's garbage collections: its history (from the database; collections started
 * elsewhere are imported by the GC task), a start now and a cancel (`docr.gc.run`, audited).
 */
export function gcRunRoutes(
  deps: RouteDeps & {
    collector: GarbageCollector;
  },
): express.Router {
  const { access, store, reader, registryName } = deps;
  const { collector } = deps;
  const router = typedRouter();

  router.get('/registries/:name/gc-runs', async (req, res) => {
    const name = await reader(req);
    const page = pageSchema.safeParse(req.query);
    if (!page.success)
      throw new InputError(describeValidationIssues(page.error).join('; '));
    // From the database only: collections started from the console or doctl are imported by the
    // GC task (every storage sample and at each window).
    const { items, totalCount } = await store.listRuns(name, page.data);
    const retention = await store.retentionSummaries(items);
    res.json({
      items: items.map(run => presentRun(run, retention.get(run.id))),
      totalCount,
      ...page.data,
    });
  });

  router.post('/registries/:name/gc-runs', async (req, res) => {
    const creds = await access.credentials(req);
    const name = registryName(req);
    const run = await access.audited(
      req,
      creds,
      'gc-run-start',
      { registry: name },
      async () => {
        await access.authorize(creds, docrGarbageCollectionRunPermission, name);
        const type =
          req.body?.type === undefined
            ? undefined
            : gcTypeSchema.safeParse(req.body.type);
        if (type && !type.success)
          throw new InputError(
            `type: ${describeValidationIssues(type.error).join('; ')}`,
          );
        const result = await collector.startNow(name, {
          type: type?.data,
          requestedBy: principalRef(creds),
        });
        return {
          result,
          meta: { runId: result.id, doUuid: result.doUuid ?? null },
        };
      },
    );
    res.status(201).json(presentRun(run));
  });

  router.post('/registries/:name/gc-runs/:id/cancel', async (req, res) => {
    const creds = await access.credentials(req);
    const name = registryName(req);
    const id = Number(req.params.id);
    if (!Number.isInteger(id)) throw new InputError('id must be a run id');
    const run = await access.audited(
      req,
      creds,
      'gc-run-cancel',
      { registry: name, runId: id },
      async () => {
        await access.authorize(creds, docrGarbageCollectionRunPermission, name);
        return {
          result: await collector.cancel(name, id, principalRef(creds)),
        };
      },
    );
    res.json(presentRun(run));
  });
  return router;
}
