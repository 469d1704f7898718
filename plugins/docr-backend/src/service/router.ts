import express from 'express';
import { typedRouter, type ApiRequest } from './typedRouter';
import { z } from 'zod';
import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  describeValidationIssues,
  docrGarbageCollectionRunPermission,
  docrRegistryReadPermission,
  gcPolicySchema,
  gcTypeSchema,
  registryNameProblem,
} from '@backstage-docr/plugin-docr-common';
import type { JsonObject } from '@backstage/types';
import type { AccountScope } from '../accountScopes';
import type { DocrLimits } from '../limits/DocrLimits';
import { RegistryAccess, principalRef } from './RegistryAccess';
import { KnownRegistries } from './KnownRegistries';
import { policyGrant } from './policyGrant';
import { creationRoutes } from './creationRoutes';
import type { RegistryCreationStore } from './RegistryCreationStore';
import { presentRegistry, presentRun } from './presenters';
import { repositoryRoutes } from './repositoryRoutes';
import { retentionRoutes } from './retentionRoutes';
import { SavingsOptions, savingsRoutes } from './savingsRoutes';
import { NameAvailability, nameAvailabilityRoutes } from './NameAvailability';
import {
  retryAfterOnUnavailable,
  tooManyRequestsHandler,
  upstreamErrorHandler,
} from './upstreamErrors';

export { NEW_REGISTRY_GRACE_MS } from './policyGrant';

export interface AccountRouterOptions extends AccountScope {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  /** Who each new registry is created for (every account's). */
  creations: RegistryCreationStore;
  now: () => Date;
  /** What users may spend of the account's DigitalOcean budget. */
  limits: DocrLimits;
  /** Asks the GC task to list the account now (the first listing not being done yet). */
  listNow?: () => Promise<void>;
  /** What the savings routes read besides the account's store. */
  savings?: SavingsOptions;
}

const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
const daysSchema = z.coerce.number().int().min(1).max(366).default(30);

function registryName(req: ApiRequest<{ name: string }>): string {
  const problem = registryNameProblem(req.params.name);
  if (problem) throw new InputError(problem);
  return req.params.name;
}

/**
 * The REST API of one account's registries: registries with policy, windows and runs; GC now;
 * history; repositories and tags (`repositoryRoutes`); the retention preview (`retentionRoutes`).
 * Reads come from the database only; changes are checked on the registry's catalog entity (in
 * the account's namespace) and audited.
 */
export function createAccountRouter(
  options: AccountRouterOptions,
): express.Router {
  const { store, policies, collector, creations, now } = options;
  const access = new RegistryAccess(options);
  const registries = new KnownRegistries(store, policies, options.client);
  const router = typedRouter();
  router.use(express.json());

  /** The caller, allowed to read the named registry. */
  async function reader(req: ApiRequest<{ name: string }>) {
    const creds = await access.credentials(req);
    const name = registryName(req);
    await access.authorize(creds, docrRegistryReadPermission, name);
    return name;
  }

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
    const registry = await registries.require(name, options.listNow);
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
        await creations.end(options.account, name);
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

  router.use(
    repositoryRoutes({
      reader,
      registries,
      cache: options.repositories,
      listNow: options.listNow,
      imageGraphs: options.imageGraphs,
      imagesInUse: options.imagesInUse,
    }),
  );

  router.use(
    retentionRoutes({
      reader,
      registries,
      cache: options.repositories,
      policies,
      previews: options.previews,
      now,
      deletesInWindows: options.tagRetentionEnabled,
      listNow: options.listNow,
      imageGraphs: options.imageGraphs,
      imagesInUse: options.imagesInUse,
      coldPreviews: {
        charge: (user, registry) =>
          options.limits.chargeColdPreview(user, options.account, registry),
        userOf: async req => principalRef(await access.credentials(req)),
      },
    }),
  );

  if (options.savings)
    router.use(
      savingsRoutes({
        ...options.savings,
        account: options.account,
        store,
        access,
        reader,
        now,
      }),
    );

  router.use(
    creationRoutes({
      access,
      creations,
      registries,
      account: options.account,
      registryName,
      now,
    }),
  );

  router.use(
    nameAvailabilityRoutes({
      access,
      availability: new NameAvailability(options.client, now, {
        perUser: options.limits.nameChecks,
        account: {
          limiter: options.limits.accountNameChecks,
          key: options.account,
        },
      }),
    }),
  );

  router.use(retryAfterOnUnavailable());
  router.use(tooManyRequestsHandler());
  router.use(upstreamErrorHandler());
  return router;
}
