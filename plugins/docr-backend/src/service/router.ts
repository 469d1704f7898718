import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DateTime } from 'luxon';
import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  serializeError,
} from '@backstage/errors';
import {
  DigitalOceanApiError,
  DigitalOceanNetworkError,
  DigitalOceanTimeoutError,
} from '@backstage-docr/plugin-docr-node';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  GcRunView,
  RegistrySummaryView,
  describeValidationIssues,
  docrGarbageCollectionRunPermission,
  docrPolicyUpdatePermission,
  gcPolicySchema,
  gcTypeSchema,
  nextWindowAfter,
  openWindowAt,
  registryNameProblem,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import type { DocrStore, GcRun } from '../database/DocrStore';
import type { GarbageCollector } from '../gc/GarbageCollector';
import type { EffectivePolicy, PolicyResolver } from '../policies';
import { ConflictError } from '@backstage/errors';

export interface RouterOptions {
  store: DocrStore;
  policies: PolicyResolver;
  collector: GarbageCollector;
  client: DigitalOceanClient;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  now: () => Date;
}

function presentRun(run: GcRun): GcRunView {
  const end = run.finishedAt ?? undefined;
  const start = run.startedAt ?? run.createdAt;
  return {
    id: run.id,
    registryName: run.registryName,
    trigger: run.trigger,
    type: run.type ?? null,
    doUuid: run.doUuid ?? null,
    status: run.status,
    statuses: run.statuses,
    blobsDeleted: run.blobsDeleted ?? null,
    freedBytes: run.freedBytes ?? null,
    storageBefore: run.storageBefore ?? null,
    storageAfter: run.storageAfter ?? null,
    requestedBy: run.requestedBy ?? null,
    reason: run.reason ?? null,
    windowEnd: run.windowEnd?.toISOString() ?? null,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationMs: end ? end.getTime() - start.getTime() : null,
  };
}

const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The REST API under /api/docr: registries with policy, windows and runs; GC now; history. */
export function createRouter(options: RouterOptions): express.Router {
  const { store, policies, collector, client, httpAuth, permissions, auditor } =
    options;
  const router = Router();
  router.use(express.json());

  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  async function authorize(
    creds: BackstageCredentials,
    permission: BasicPermission,
  ) {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials: creds,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
  }

  const principalRef = (creds: BackstageCredentials) => {
    const principal = creds.principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
    };
    return principal.type === 'user'
      ? principal.userEntityRef!
      : `service:${principal.subject}`;
  };

  function registryName(req: express.Request): string {
    const problem = registryNameProblem(req.params.name);
    if (problem) throw new InputError(problem);
    return req.params.name;
  }

  function present(
    name: string,
    storage: { storageBytes: number; sampledAt: Date } | undefined,
    effective: EffectivePolicy,
    runs: { last?: GcRun; active?: GcRun },
  ): RegistrySummaryView {
    const now = DateTime.fromJSDate(options.now());
    const { enabled, windows } = effective.policy;
    const open = enabled ? openWindowAt(windows, now) : undefined;
    const next = enabled ? nextWindowAfter(windows, now) : undefined;
    const window = (o: typeof open) =>
      o && {
        start: o.start.toISO()!,
        end: o.end.toISO()!,
        timezone: windows[o.windowIndex].timezone,
      };
    return {
      name,
      storageBytes: storage?.storageBytes ?? null,
      storageSampledAt: storage?.sampledAt.toISOString() ?? null,
      policy: effective.policy,
      policySource: effective.source,
      managedByConfig: effective.source === 'config',
      openWindow: window(open) ?? null,
      nextWindow: window(next) ?? null,
      activeRun: runs.active ? presentRun(runs.active) : null,
      lastRun: runs.last ? presentRun(runs.last) : null,
    };
  }

  async function summary(
    name: string,
    storage?: { storageBytes: number; sampledAt: Date },
  ) {
    const [effective, runs] = await Promise.all([
      policies.resolve(name),
      store.runSummaries(),
    ]);
    return present(name, storage, effective, runs.get(name) ?? {});
  }

  /** The registry's newest sample, reading DigitalOcean once for a registry not sampled yet. */
  async function storageOf(name: string) {
    const listing = await store.latestListing();
    const sampled = listing.find(s => s.registryName === name);
    if (sampled) return sampled;
    const registry = await client.findRegistry(name);
    if (!registry)
      throw new NotFoundError(
        `No registry named "${name}" in the DigitalOcean account`,
      );
    const sample = {
      registryName: name,
      storageBytes: registry.storage_usage_bytes ?? 0,
      sampledAt: options.now(),
    };
    await store.insertSamples([sample]);
    return sample;
  }

  router.get('/registries', async (req, res) => {
    await credentials(req);
    const listing = await store.latestListing();
    // Policies and run summaries of every registry, each read once for the whole list.
    const [effective, runs] = await Promise.all([
      policies.resolveAll(listing.map(sample => sample.registryName)),
      store.runSummaries(),
    ]);
    res.json({
      items: listing.map(sample =>
        present(
          sample.registryName,
          sample,
          effective.get(sample.registryName)!,
          runs.get(sample.registryName) ?? {},
        ),
      ),
    });
  });

  router.get('/registries/:name', async (req, res) => {
    await credentials(req);
    const name = registryName(req);
    res.json(await summary(name, await storageOf(name)));
  });

  router.get('/registries/:name/policy', async (req, res) => {
    await credentials(req);
    const effective = await policies.resolve(registryName(req));
    res.json({ ...effective, managedByConfig: effective.source === 'config' });
  });

  router.put('/registries/:name/policy', async (req, res) => {
    const creds = await credentials(req);
    const name = registryName(req);
    const event = await auditor.createEvent({
      eventId: 'policy-update',
      severityLevel: 'medium',
      request: req,
      meta: { registry: name, actor: principalRef(creds) },
    });
    try {
      await authorize(creds, docrPolicyUpdatePermission);
      const parsed = gcPolicySchema.safeParse(req.body);
      if (!parsed.success) {
        throw new InputError(
          `Invalid policy: ${describeValidationIssues(parsed.error).join('; ')}`,
        );
      }
      if (policies.isManagedByConfig(name)) {
        throw new ConflictError(
          `The policy of "${name}" is managed by config (docr.garbageCollection.registries.${name}); change it there`,
        );
      }
      await storageOf(name); // the registry must exist
      await store.putStoredPolicy(
        name,
        parsed.data,
        principalRef(creds),
        options.now(),
      );
      const effective = await policies.resolve(name);
      await event.success({ meta: { policy: parsed.data } });
      res.json({ ...effective, managedByConfig: false });
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/registries/:name/gc-runs', async (req, res) => {
    await credentials(req);
    const name = registryName(req);
    const page = pageSchema.safeParse(req.query);
    if (!page.success)
      throw new InputError(describeValidationIssues(page.error).join('; '));
    // Collections started from the console or doctl show up too. Best effort: history from the
    // database is still served when DigitalOcean cannot be read.
    await collector.importExternalRuns(name).catch(() => undefined);
    const { items, totalCount } = await store.listRuns(name, page.data);
    res.json({ items: items.map(presentRun), totalCount, ...page.data });
  });

  router.post('/registries/:name/gc-runs', async (req, res) => {
    const creds = await credentials(req);
    const name = registryName(req);
    const event = await auditor.createEvent({
      eventId: 'gc-run-start',
      severityLevel: 'medium',
      request: req,
      meta: { registry: name, actor: principalRef(creds) },
    });
    try {
      await authorize(creds, docrGarbageCollectionRunPermission);
      const type =
        req.body?.type === undefined
          ? undefined
          : gcTypeSchema.safeParse(req.body.type);
      if (type && !type.success)
        throw new InputError(
          `type: ${describeValidationIssues(type.error).join('; ')}`,
        );
      const run = await collector.startNow(name, {
        type: type?.data,
        requestedBy: principalRef(creds),
      });
      await event.success({ meta: { runId: run.id, doUuid: run.doUuid } });
      res.status(201).json(presentRun(run));
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  router.post('/registries/:name/gc-runs/:id/cancel', async (req, res) => {
    const creds = await credentials(req);
    const name = registryName(req);
    const id = Number(req.params.id);
    if (!Number.isInteger(id)) throw new InputError('id must be a run id');
    const event = await auditor.createEvent({
      eventId: 'gc-run-cancel',
      severityLevel: 'medium',
      request: req,
      meta: { registry: name, runId: id, actor: principalRef(creds) },
    });
    try {
      await authorize(creds, docrGarbageCollectionRunPermission);
      const run = await collector.cancel(name, id, principalRef(creds));
      await event.success();
      res.json(presentRun(run));
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/registries/:name/storage', async (req, res) => {
    await credentials(req);
    const name = registryName(req);
    const days = z.coerce
      .number()
      .int()
      .min(1)
      .max(366)
      .default(30)
      .safeParse(req.query.days);
    if (!days.success)
      throw new InputError(
        `days: ${describeValidationIssues(days.error).join('; ')}`,
      );
    const since = new Date(options.now().getTime() - days.data * 86_400_000);
    const samples = await store.listSamples(name, since);
    res.json({
      items: samples.map(s => ({
        storageBytes: s.storageBytes,
        sampledAt: s.sampledAt.toISOString(),
      })),
    });
  });

  // DigitalOcean failing is not this request's fault: 502, with DigitalOcean's error in the message.
  router.use(
    (
      error: Error,
      req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      const upstream =
        error instanceof DigitalOceanApiError ||
        error instanceof DigitalOceanTimeoutError ||
        error instanceof DigitalOceanNetworkError;
      if (!upstream) {
        next(error);
        return;
      }
      res.status(502).json({
        error: serializeError(error),
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 502 },
      });
    },
  );

  return router;
}
