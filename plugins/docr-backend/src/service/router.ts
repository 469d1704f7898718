import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DateTime } from 'luxon';
import type {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
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
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  AccountStorageView,
  GcRunView,
  RegistrySummaryView,
  describeValidationIssues,
  docrGarbageCollectionRunPermission,
  docrPolicyUpdatePermission,
  docrRegistryCreatePermission,
  docrRegistryReadPermission,
  registryEntityRef,
  gcPolicySchema,
  gcTypeSchema,
  nextWindowAfter,
  openWindowAt,
  registryNameProblem,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import type { DocrStore, GcRun, StorageSample } from '../database/DocrStore';
import type { GarbageCollector } from '../gc/GarbageCollector';
import type { EffectivePolicy, PolicyResolver } from '../policies';
import { ConflictError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';

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

/** How long after DigitalOcean created a registry its creator may set its first policy. */
export const NEW_REGISTRY_GRACE_MS = 30 * 60_000;

type Credentials = BackstageCredentials<
  BackstageUserPrincipal | BackstageServicePrincipal
>;

/** Who acts: the user (and the service acting for them), or the service. */
function actorOf(creds: Credentials): string {
  const { principal } = creds;
  if (principal.type === 'user') {
    return principal.actor
      ? `${principal.userEntityRef} (via service:${principal.actor.subject})`
      : principal.userEntityRef;
  }
  return `service:${principal.subject}`;
}

/** Who is recorded as having changed something: the user, or the service. */
function principalRef(creds: Credentials): string {
  const { principal } = creds;
  return principal.type === 'user'
    ? principal.userEntityRef
    : `service:${principal.subject}`;
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

  const credentials = (req: express.Request): Promise<Credentials> =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  type RegistryPermission = ResourcePermission<'catalog-entity'>;

  /** Which of the registries the permission allows, in one call to the permission framework. */
  async function allowedRegistries(
    creds: Credentials,
    permission: RegistryPermission,
    names: string[],
  ): Promise<Set<string>> {
    if (!names.length) return new Set();
    const decisions = await permissions.authorize(
      names.map(name => ({
        permission,
        resourceRef: registryEntityRef(name),
      })),
      { credentials: creds },
    );
    return new Set(
      names.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW),
    );
  }

  const notAllowed = (permission: RegistryPermission, name: string) =>
    new NotAllowedError(
      `Not allowed: ${permission.name} on ${registryEntityRef(name)}`,
    );

  /** Throws 403 naming the permission unless it is allowed on the registry's entity. */
  async function authorize(
    creds: Credentials,
    permission: RegistryPermission,
    name: string,
  ) {
    if (!(await allowedRegistries(creds, permission, [name])).has(name)) {
      throw notAllowed(permission, name);
    }
  }

  /**
   * Runs a change as one audit event naming the actor: success with what `fn` adds to the meta,
   * or failure with the error (a 403 included).
   */
  async function audited<T>(
    req: express.Request,
    creds: Credentials,
    eventId: string,
    meta: JsonObject,
    fn: () => Promise<{ result: T; meta?: JsonObject }>,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: req,
      meta: { ...meta, actor: actorOf(creds) },
    });
    try {
      const { result, meta: more } = await fn();
      await event.success(more ? { meta: more } : undefined);
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

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
    const acting = enabled && !effective.orphaned && !effective.problem;
    const open = acting ? openWindowAt(windows, now) : undefined;
    const next = acting ? nextWindowAfter(windows, now) : undefined;
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
      orphaned: effective.orphaned ?? null,
      openWindow: window(open) ?? null,
      nextWindow: window(next) ?? null,
      activeRun: runs.active ? presentRun(runs.active) : null,
      lastRun: runs.last ? presentRun(runs.last) : null,
    };
  }

  /**
   * The registry as the database knows it, never asking DigitalOcean: in the newest listing,
   * sampled since (a registry the API has just been told about), or with a stored policy (kept,
   * orphaned, when the registry is gone). Undefined for a registry the database does not know.
   */
  async function known(name: string) {
    const [listing, sample, effective] = await Promise.all([
      store.latestListing(),
      store.latestSample(name),
      policies.resolve(name),
    ]);
    const listedAt = listing[0]?.sampledAt;
    const listed = listing.some(s => s.registryName === name);
    const sampledSince =
      sample !== undefined &&
      (!listedAt || sample.sampledAt.getTime() > listedAt.getTime());
    if (!listed && !sampledSince && effective.source !== 'api')
      return undefined;
    return { storage: sample, effective };
  }

  /**
   * The account's storage: DigitalOcean bills the subscription's included storage and overage
   * on the sum over all the account's registries, so pages show it once, for the account.
   */
  async function accountStorage(): Promise<AccountStorageView> {
    const names = (await store.latestListing()).map(s => s.registryName);
    const samples = [...(await store.newestSamples(names)).values()];
    return {
      registryCount: names.length,
      storageBytes: samples.reduce((sum, s) => sum + s.storageBytes, 0),
      sampledAt: samples.length
        ? new Date(
            Math.min(...samples.map(s => s.sampledAt.getTime())),
          ).toISOString()
        : null,
    };
  }

  /** Reads DigitalOcean (only for changes): the registry, recorded as a sample, or 404. */
  async function registryInDigitalOcean(name: string) {
    const registry = await client.findRegistry(name);
    if (!registry)
      throw new NotFoundError(
        `No registry named "${name}" in the DigitalOcean account`,
      );
    return registry;
  }

  router.get('/registries', async (req, res) => {
    const creds = await credentials(req);
    const listing = await store.latestListing();
    const readable = await allowedRegistries(
      creds,
      docrRegistryReadPermission,
      listing.map(sample => sample.registryName),
    );
    const visible = listing
      .map(s => s.registryName)
      .filter(name => readable.has(name));
    // Policies, newest samples and run summaries of every registry, each read once for the list.
    const [effective, samples, runs] = await Promise.all([
      policies.resolveAll(visible),
      store.newestSamples(visible),
      store.runSummaries(),
    ]);
    res.json({
      items: visible.map(name =>
        present(
          name,
          samples.get(name),
          effective.get(name)!,
          runs.get(name) ?? {},
        ),
      ),
    });
  });

  router.get('/registries/:name', async (req, res) => {
    const creds = await credentials(req);
    const name = registryName(req);
    await authorize(creds, docrRegistryReadPermission, name);
    const registry = await known(name);
    if (!registry)
      throw new NotFoundError(
        `No registry named "${name}" is known; registries are listed from DigitalOcean every sample interval`,
      );
    const [runs, account] = await Promise.all([
      store.runSummaries(),
      accountStorage(),
    ]);
    res.json({
      ...present(
        name,
        registry.storage,
        registry.effective,
        runs.get(name) ?? {},
      ),
      account,
    });
  });

  router.get('/registries/:name/policy', async (req, res) => {
    const creds = await credentials(req);
    const name = registryName(req);
    await authorize(creds, docrRegistryReadPermission, name);
    const effective = await policies.resolve(name);
    res.json({ ...effective, managedByConfig: effective.source === 'config' });
  });

  /**
   * Who may set the policy: `docr.policy.update` on the registry's entity; or, for the first
   * policy of a registry DigitalOcean created less than 30 minutes ago (it has no catalog entity
   * yet, so no rule about its owner can match), `docr.registry.create`. Returns the grant used.
   */
  async function policyGrant(creds: Credentials, name: string) {
    if (
      (await allowedRegistries(creds, docrPolicyUpdatePermission, [name])).has(
        name,
      )
    ) {
      return docrPolicyUpdatePermission.name;
    }
    const denied = notAllowed(docrPolicyUpdatePermission, name);
    if (await store.getStoredPolicy(name)) throw denied;
    const [create] = await permissions.authorize(
      [{ permission: docrRegistryCreatePermission }],
      { credentials: creds },
    );
    if (create.result !== AuthorizeResult.ALLOW) throw denied;
    const registry = await client.findRegistry(name);
    const createdAt = registry?.created_at
      ? Date.parse(registry.created_at)
      : NaN;
    const age = options.now().getTime() - createdAt;
    if (!(age >= -NEW_REGISTRY_GRACE_MS && age < NEW_REGISTRY_GRACE_MS))
      throw denied;
    return `${docrRegistryCreatePermission.name} (first policy of a registry created at ${registry!.created_at})`;
  }

  router.put('/registries/:name/policy', async (req, res) => {
    const creds = await credentials(req);
    const name = registryName(req);
    const body = await audited(
      req,
      creds,
      'policy-update',
      { registry: name },
      async () => {
        const grant = await policyGrant(creds, name);
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
        if (!(await known(name))) {
          // A registry created since the last listing: DigitalOcean says whether it exists.
          const registry = await registryInDigitalOcean(name);
          await store.insertSamples([
            {
              registryName: name,
              storageBytes: registry.storage_usage_bytes ?? 0,
              sampledAt: options.now(),
            },
          ]);
        }
        await store.putStoredPolicy(
          name,
          parsed.data,
          principalRef(creds),
          options.now(),
        );
        const effective = await policies.resolve(name);
        return {
          result: { ...effective, managedByConfig: false },
          meta: { policy: parsed.data as JsonObject, grant },
        };
      },
    );
    res.json(body);
  });

  router.get('/registries/:name/gc-runs', async (req, res) => {
    const creds = await credentials(req);
    const name = registryName(req);
    await authorize(creds, docrRegistryReadPermission, name);
    const page = pageSchema.safeParse(req.query);
    if (!page.success)
      throw new InputError(describeValidationIssues(page.error).join('; '));
    // From the database only: collections started from the console or doctl are imported by the
    // GC task (every storage sample and at each window).
    const { items, totalCount } = await store.listRuns(name, page.data);
    res.json({ items: items.map(presentRun), totalCount, ...page.data });
  });

  router.post('/registries/:name/gc-runs', async (req, res) => {
    const creds = await credentials(req);
    const name = registryName(req);
    const run = await audited(
      req,
      creds,
      'gc-run-start',
      { registry: name },
      async () => {
        await authorize(creds, docrGarbageCollectionRunPermission, name);
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
    const creds = await credentials(req);
    const name = registryName(req);
    const id = Number(req.params.id);
    if (!Number.isInteger(id)) throw new InputError('id must be a run id');
    const run = await audited(
      req,
      creds,
      'gc-run-cancel',
      { registry: name, runId: id },
      async () => {
        await authorize(creds, docrGarbageCollectionRunPermission, name);
        return {
          result: await collector.cancel(name, id, principalRef(creds)),
        };
      },
    );
    res.json(presentRun(run));
  });

  router.get('/registries/:name/storage', async (req, res) => {
    const creds = await credentials(req);
    const name = registryName(req);
    await authorize(creds, docrRegistryReadPermission, name);
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
    const samples: StorageSample[] = await store.listSamples(name, since);
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
