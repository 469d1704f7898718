import { HumanDuration } from '@backstage/types';

/** A GC window: days of the week, a start time and a length in an IANA time zone. */
interface GcWindowConfig {
  /** mon, tue, wed, thu, fri, sat, sun */
  days: string[];
  /** Local start time, 24-hour, e.g. "03:00". */
  start: string;
  /** ISO 8601 duration, e.g. "PT2H". Windows may cross midnight. */
  duration: string;
  /** IANA time zone, e.g. "Europe/Berlin". */
  timezone: string;
}

/**
 * A tag retention rule. A tag is deleted only if some rule selects it (older than its
 * deleteOlderThan AND not among its keepNewest newest) and no rule protects it.
 */
interface RetentionRuleConfig {
  /** Repository name globs (`*`, `?`) the rule applies to; every repository when absent. */
  repositories?: string[];
  /** The newest unprotected tags of each repository the rule never selects. */
  keepNewest?: number;
  /** ISO 8601 duration, e.g. "P30D": tags pushed longer ago are selected. */
  deleteOlderThan?: string;
  /** Tag globs always kept, e.g. "latest", "prod-*", "v*.*.*". */
  protect?: string[];
  /** Keep every tag that is a semantic version (1.2.3, v1.2.3, v2.0.0-rc.1). */
  protectSemver?: boolean;
  /** ISO 8601 duration: untagged manifests pushed longer ago are selected. */
  untaggedManifestsOlderThan?: string;
  /**
   * Previous releases of each workload (DOKS Deployment, App Platform app) kept for a rollback,
   * besides what runs, in the repositories the rule applies to (default 2).
   */
  keepPreviousReleases?: number;
}

interface GcPolicyConfig {
  enabled?: boolean;
  /** Default: untagged manifests and unreferenced blobs. */
  type?:
    | 'untagged manifests only'
    | 'unreferenced blobs only'
    | 'untagged manifests and unreferenced blobs';
  windows?: GcWindowConfig[];
  /** Cancel a run still going when its window ends (default true). */
  cancelAtWindowEnd?: boolean;
  /** Which tags to delete; a registry entry without it inherits the default's. */
  retention?: {
    rules?: RetentionRuleConfig[];
    /**
     * DOKS clusters (by name), or "App Platform", whose images in use may go unread: otherwise a
     * window deletes nothing of the registry while what runs on a cluster integrated with it
     * cannot be read.
     */
    ignoreUnreadable?: string[];
  };
}

export interface Config {
  docr?: {
    /**
     * The accounts under `digitalocean.accounts` whose registries are collected (default: all).
     * Each account's routes are under `/api/docr/accounts/<id>/`.
     */
    accounts?: string[];
    /**
     * The account of the routes that name none (`/api/docr/registries/...`): default, else the
     * first of `accounts`.
     */
    account?: string;
    garbageCollection?: {
      /** The policy of every registry without one of its own. */
      default?: GcPolicyConfig;
      /** The default account's per-registry policies, managed by config: the API cannot change them. */
      registries?: { [registryName: string]: GcPolicyConfig };
      /** Other accounts' per-registry policies (registry names are unique per account only). */
      accounts?: {
        [accountId: string]: {
          registries?: { [registryName: string]: GcPolicyConfig };
        };
      };
      /** How often the GC task runs (default every minute). */
      tickFrequency?: HumanDuration | string;
      /**
       * A window run does not start when less than this is left of its window (default 15
       * minutes), so a collection does not begin just before the window closes.
       */
      minimumRemainingWindow?: HumanDuration | string;
      /** How often storage is sampled outside windows (default every hour). */
      storageSampleInterval?: HumanDuration | string;
      retention?: {
        /** How long finished runs are kept (default 400 days). */
        runs?: HumanDuration | string;
        /** How long storage samples are kept (default 90 days). */
        samples?: HumanDuration | string;
      };
    };
    /**
     * How deleting the tags retention rules select (in each GC window, before the GC) spends the
     * account's DigitalOcean budget (250 calls a minute, 5,000 an hour, shared with everything).
     */
    tagRetention?: {
      /**
       * Whether retention rules delete tags in the GC windows (default false: they are only
       * previewed). Deleting is irreversible: turn it on once the preview shows what you expect.
       */
      enabled?: boolean;
      /**
       * DigitalOcean calls retention makes a minute at most, per account, spaced evenly over
       * every replica (default 200). Every call counts: listing pages, checks, deletions. The
       * budget is kept in the plugin's database, so replicas share it and a restart keeps it.
       */
      callsPerMinute?: number;
      /**
       * DigitalOcean calls retention makes in any rolling hour at most, per account, over every
       * replica and across restarts (default 3000).
       */
      callsPerHour?: number;
      /**
       * Requests retention makes to the registry host (manifests, tags, referrers and their
       * tokens, reading the image graphs and checking tags before deletion), per account, over
       * every replica: their own budget, since the registry host's limits are not DigitalOcean
       * API's. The docker credentials they need are DigitalOcean calls, in the budget above.
       */
      registryHost?: {
        /** Requests a minute at most, spaced evenly (default 300). */
        callsPerMinute?: number;
        /** Requests in any rolling hour at most (default 10000). */
        callsPerHour?: number;
      };
      /**
       * How long one run of the GC task spends deleting tags before it looks after the rest
       * (default 40 seconds); the deletions go on at the next run, every tickFrequency.
       */
      tickBudget?: HumanDuration | string;
    };
    /**
     * What users may spend of each account's DigitalOcean budget (250 calls a minute, shared
     * with the GC task, retention and the catalog), per replica. A limit reached answers 429
     * with a Retry-After header and the key to change.
     */
    limits?: {
      /**
       * DigitalOcean calls a minute, per account, to list what users' pages ask for: the
       * repository and tag pages and the retention preview (default 30). Listings past it wait
       * (the page is told to come back).
       */
      interactiveCallsPerMinute?: number;
      /**
       * Name checks that ask DigitalOcean a minute, per account, every user's together (default
       * 20, twice a user's: no user alone spends them); past it, 429.
       */
      nameCheckCallsPerMinute?: number;
      /** Listings from DigitalOcean under way at once, per account (default 4). */
      maxConcurrentListings?: number;
      /** Limits of each user, over every account. */
      perUser?: {
        /**
         * Name checks that ask DigitalOcean (default 10 a minute); an answer held (a name asked
         * within the last minute) costs nothing.
         */
        nameChecks?: { requests?: number; per?: HumanDuration | string };
        /**
         * Registries whose retention preview the user asks while their listings are not held,
         * so it lists them (default 3 a minute); asking again while it is listed costs nothing.
         */
        coldPreviews?: { requests?: number; per?: HumanDuration | string };
      };
    };
    /**
     * Notifications to the owners of a registry's catalog entity (the account's subscription
     * entity for account-wide events), through Backstage's notifications backend, which the
     * portal must run. Each event is notified once, over replicas and restarts.
     */
    notifications?: {
      /** Send notifications at all (default true); false when the portal has no notifications backend. */
      enabled?: boolean;
      /**
       * Topics to send (each true by default): `storage` (the account at 80 % and 100 % of its
       * included storage), `registryLimit` (the registry count at the tier's limit), `windowSoon`
       * (a GC window opening soon; its lead time is the policy's `notifyBeforeWindow`),
       * `gcProblem` (a GC failed, cancelled at its window's end, or skipped), `policyInvalid`,
       * `registryGone` (deleted outside the portal), `retentionReport` (after a window run with
       * retention rules: deleted by rule, kept, freed by the GC).
       */
      topics?: {
        storage?: boolean;
        registryLimit?: boolean;
        windowSoon?: boolean;
        gcProblem?: boolean;
        policyInvalid?: boolean;
        registryGone?: boolean;
        retentionReport?: boolean;
      };
      /**
       * Notifications about one registry in an hour (default 6); events past it are logged, not
       * sent, so fast-ticking windows (the demo's) do not flood anyone.
       */
      maxPerRegistryPerHour?: number;
    };
    /** What garbage collection and retention saved (`GET /api/docr/.../savings`). */
    savings?: {
      /**
       * The IANA time zone whose month boundaries count when a request names none (default
       * UTC), e.g. the one the account is billed in.
       */
      timezone?: string;
    };
    /** The repositories and tags the registry pages show, cached per registry. */
    repositories?: {
      /**
       * How long a registry's listing is served before it is listed again from DigitalOcean
       * (default 5 minutes). An older listing is still served while the new one is made.
       */
      cacheTtl?: HumanDuration | string;
      /** Registries whose listings are held in memory (default 50); the least recently read go first. */
      maxRegistries?: number;
      /** Tags held in memory over all registries (default 100000); the least recently read go first. */
      maxTags?: number;
    };
  };
}
