import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  DigitalOceanAccounts,
  DigitalOceanClient,
} from '@backstage-docr/plugin-docr-node';
import {
  DocrBackendConfig,
  collectedAccounts,
  configForAccount,
} from './config';
import type { DocrStore } from './database/DocrStore';
import { GarbageCollector, TickReport } from './gc/GarbageCollector';
import type { DocrLimits } from './limits/DocrLimits';
import { PolicyResolver } from './PolicyResolver';
import {
  RegistryContents,
  RepositoryCache,
  RepositoryContents,
} from './repositories/RepositoryCache';
import type { CachedGraphs } from './retention/CachedGraphs';
import type { RepositoryGraph } from './retention/graph';
import type { ImageGraphAccess } from './retention/imageGraphs';
import { RetentionRunner } from './retention/RetentionRunner';
import { ManifestsInUseGuard } from './gc/ManifestsInUseGuard';
import { ImagesInUseCache } from './inUse/ImagesInUseCache';
import { ImagesInUseReader } from './inUse/ImagesInUseReader';
import { PreviewCache } from './retention/PreviewCache';

/**
 * What the docr backend holds for one DigitalOcean account: registry names are unique per
 * account only, so policies, runs, samples, the garbage collector and the cached listings are
 * each the account's.
 */
export interface AccountScope {
  account: string;
  store: DocrStore;
  policies: PolicyResolver;
  client: DigitalOceanClient;
  collector: GarbageCollector;
  repositories: RepositoryCache;
  /** Whether retention rules delete in the windows (`docr.tagRetention.enabled`). */
  tagRetentionEnabled: boolean;
  /** The account's retention previews, one computation per listing and rules version. */
  previews: PreviewCache;
  /** The image graphs of the cached listings (preview, tag listing); absent without a registry host. */
  imageGraphs?: AccountImageGraphs;
  /** What runs where (DOKS, App Platform): read before each plan, and for the pages. */
  imagesInUse: ImagesInUseCache;
}

/** One account's view of the cached image graphs. */
export interface AccountImageGraphs {
  forPreview(
    registry: string,
    contents: RegistryContents,
  ): ReturnType<CachedGraphs['forPreview']>;
  graphOf(registry: string, repository: string): RepositoryGraph | undefined;
  readSoon(registry: string, repository: RepositoryContents): void;
  pending(registry: string, repository: string): boolean;
}

/** Retention's reads through the registry host, every account's. */
export interface ImageGraphDeps extends ImageGraphAccess {
  cached: CachedGraphs;
}

function accountImageGraphs(
  cached: CachedGraphs,
  account: string,
): AccountImageGraphs {
  return {
    forPreview: (registry, contents) =>
      cached.forPreview(account, registry, contents),
    graphOf: (registry, repository) =>
      cached.graphOf(account, registry, repository),
    readSoon: (registry, repository) =>
      cached.readSoon(account, registry, repository),
    pending: (registry, repository) =>
      cached.pending(account, registry, repository),
  };
}

/** One scope per collected account, and the account of the routes that name none. */
export function createAccountScopes(deps: {
  config: DocrBackendConfig;
  accounts: Pick<DigitalOceanAccounts, 'list' | 'client'>;
  store: DocrStore;
  now: () => Date;
  logger: LoggerService;
  /** Records what the GC task deletes (retention), as the API records what users change. */
  auditor?: AuditorService;
  /** Retention selects on image graphs read through each account's registry host. */
  imageGraphs?: ImageGraphDeps;
  /** Each account's share of DigitalOcean calls for the listings users' pages ask for. */
  limits?: DocrLimits;
}): { scopes: AccountScope[]; defaultAccount: string } {
  const { config, accounts, now, logger } = deps;
  const collected = collectedAccounts(
    config,
    accounts.list().map(a => a.id),
  );
  let cache: RepositoryCache | undefined;
  const scopes = collected.accounts.map(account => {
    // Fails here, at start-up, when the account has no token.
    const client = accounts.client(account);
    const store = deps.store.forAccount(account);
    const accountConfig = configForAccount(config, account);
    const policies = new PolicyResolver(accountConfig, store);
    const accountLogger =
      collected.accounts.length > 1 ? logger.child({ account }) : logger;
    const gate = deps.limits?.listingGate(account);
    const imagesInUse = new ImagesInUseCache({
      source: new ImagesInUseReader({ client, logger: accountLogger, now }),
      now,
      logger: accountLogger,
    });
    cache = cache
      ? cache.forAccount(account, client, gate)
      : new RepositoryCache({
          client,
          account,
          now,
          config: config.repositories,
          logger,
          gate,
        });
    return {
      account,
      store,
      policies,
      client,
      collector: accountCollector(deps, {
        store,
        policies,
        client,
        config: accountConfig,
        logger: accountLogger,
        inUse: imagesInUse,
      }),
      repositories: cache,
      imagesInUse,
      tagRetentionEnabled: config.tagRetentionEnabled,
      // Ages move on: a preview is computed again once its listing would be listed again.
      previews: new PreviewCache({
        maxAgeMs: config.repositories.cacheTtlMs,
        maxRegistries: config.repositories.maxRegistries,
        now,
      }),
      ...(deps.imageGraphs
        ? { imageGraphs: accountImageGraphs(deps.imageGraphs.cached, account) }
        : {}),
    };
  });
  return { scopes, defaultAccount: collected.defaultAccount };
}

/** An account's garbage collector, with the retention that deletes in its windows. */
function accountCollector(
  deps: Parameters<typeof createAccountScopes>[0],
  account: {
    store: DocrStore;
    policies: PolicyResolver;
    client: DigitalOceanClient;
    config: DocrBackendConfig;
    logger: LoggerService;
    inUse: ImagesInUseCache;
  },
): GarbageCollector {
  const { store, client, logger } = account;
  return new GarbageCollector({
    store,
    policies: account.policies,
    client,
    config: account.config,
    now: deps.now,
    logger,
    auditor: deps.auditor,
    retention: new RetentionRunner({
      client,
      journal: store.journal,
      budget: store.retentionBudget,
      logger,
      options: deps.config.retentionRunner,
      imageGraph: deps.imageGraphs,
      inUse: account.inUse,
    }),
    manifestsInUse: new ManifestsInUseGuard({
      client,
      inUse: account.inUse,
      account: store.account,
      imageGraph: deps.imageGraphs,
      logger,
    }),
  });
}

const isQuiet = (report: TickReport) =>
  !report.started.length &&
  !report.finished.length &&
  !report.cancelling.length &&
  !report.skipped.length &&
  !report.orphaned.length &&
  !report.deletingTags.length &&
  !report.errors.length &&
  !report.aborted;

/**
 * One run of the GC task: each account's collector in turn; an account whose tick fails is
 * logged and the others are still looked after. Stops between accounts when aborted.
 */
export async function tickAccounts(
  scopes: AccountScope[],
  logger: LoggerService,
  signal?: AbortSignal,
): Promise<Map<string, TickReport>> {
  const reports = new Map<string, TickReport>();
  for (const { account, collector, imagesInUse, repositories } of scopes) {
    if (signal?.aborted) break;
    try {
      const report = await collector.tick({ signal });
      // Tags deleted, or a GC over: the pages' listings of those registries are out of date.
      for (const name of new Set([...report.deletingTags, ...report.finished]))
        repositories.markStale(name);
      await imagesInUse.refreshForPages(signal);
      reports.set(account, report);
      if (!isQuiet(report))
        logger.info(`GC tick (${account}): ${JSON.stringify(report)}`);
    } catch (error) {
      logger.error(`GC tick of account ${account} failed: ${error}`);
    }
  }
  return reports;
}
