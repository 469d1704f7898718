import {
  ANNOTATION_ACCOUNT,
  ANNOTATION_REGION,
  ANNOTATION_SUBSCRIPTION_TIER,
} from './annotations';
import { RUN_STATUS } from './gcStatus';
import type {
  GcRunView,
  PolicyView,
  SavingsView,
} from './schema/openapi/generated/models';

/**
 * What decides a registry's maturity level, gathered from the catalog (tier, regions) and the
 * docr API (policy, runs, storage).
 *
 * @public
 */
export interface MaturityFacts {
  /** The account's subscription tier slug; undefined without a subscription. */
  tierSlug?: string;
  /** The registry's effective GC policy. */
  policy?: {
    enabled: boolean;
    windows: unknown[];
    retention?: { rules: unknown[] };
  };
  /** Garbage collections of the registry that succeeded (by hand or in a window). */
  succeededRuns: number;
  /** The account's storage against the tier's included storage, and its forecast. */
  storage?: {
    accountBytes: number;
    includedBytes: number;
    /** The day the included storage is reached at the current growth, if ever. */
    includedReachedOn?: string | null;
  };
  /** The registry's region and the regions of every registry of the account. */
  region?: string;
  accountRegions: string[];
}

/** @public */
export type MaturityCheckStatus = 'passed' | 'failed' | 'unknown';

/**
 * One criterion of the procedure's maturity levels.
 *
 * @public
 */
export interface MaturityCheck {
  id:
    | 'tier-basic'
    | 'cleaned-up'
    | 'tier-professional'
    | 'gc-automated'
    | 'retention-rules'
    | 'storage-planned'
    | 'ci-credentials'
    | 'second-region';
  /** The level it belongs to. */
  level: 2 | 3;
  title: string;
  status: MaturityCheckStatus;
  detail: string;
  /** What to do when it has not passed. */
  nextStep?: string;
}

/**
 * A registry's level: 1 proof of concept (Starter, manual), 2 non-production (Basic or more,
 * cleaned up), 3 production (Professional, garbage collection in windows with retention rules,
 * storage within the included amount, a second region); with each check and the next steps.
 *
 * @public
 */
export interface MaturityAssessment {
  level: 1 | 2 | 3;
  checks: MaturityCheck[];
  /** The steps to the next level: its checks that did not pass, those to confirm by hand last. */
  nextSteps: string[];
}

const TIER_RANK: Record<string, number> = {
  starter: 1,
  basic: 2,
  professional: 3,
};

function check(
  c: Omit<MaturityCheck, 'status' | 'nextStep'>,
  passed: boolean,
  nextStep: string,
): MaturityCheck {
  return passed
    ? { ...c, status: 'passed' }
    : { ...c, status: 'failed', nextStep };
}

const tierRank = (facts: MaturityFacts) => TIER_RANK[facts.tierSlug ?? ''] ?? 0;

const otherRegionsOf = (facts: MaturityFacts) =>
  facts.accountRegions.filter(r => r !== facts.region);

/** The checks in the order the card shows them, each from the facts. */
const CHECKS: ReadonlyArray<(facts: MaturityFacts) => MaturityCheck> = [
  facts =>
    check(
      {
        id: 'tier-basic',
        level: 2,
        title: 'Basic tier or higher',
        detail: `The account's tier is ${facts.tierSlug ?? 'none'}.`,
      },
      tierRank(facts) >= 2,
      'Move the account to the Basic tier (more facts.storage and registries than Starter).',
    ),
  facts =>
    check(
      {
        id: 'cleaned-up',
        level: 2,
        title: 'Cleaned up by garbage collection',
        detail: `${facts.succeededRuns} garbage collection${facts.succeededRuns === 1 ? '' : 's'} succeeded.`,
      },
      facts.succeededRuns > 0,
      'Run a garbage collection (Run GC now) to free untagged manifests and unreferenced blobs.',
    ),
  facts =>
    check(
      {
        id: 'tier-professional',
        level: 3,
        title: 'Professional tier',
        detail: `The account's tier is ${facts.tierSlug ?? 'none'}.`,
      },
      tierRank(facts) >= 3,
      'Move the account to the Professional tier for production registries.',
    ),
  facts =>
    check(
      {
        id: 'gc-automated',
        level: 3,
        title: 'Garbage collection automated in windows',
        detail: facts.policy?.enabled
          ? `${facts.policy.windows.length} window${facts.policy.windows.length === 1 ? '' : 's'} a week.`
          : 'The GC facts.policy is disabled.',
      },
      !!facts.policy?.enabled && facts.policy.windows.length > 0,
      'Enable the GC facts.policy with at least one window, when pushes can wait.',
    ),
  facts =>
    check(
      {
        id: 'retention-rules',
        level: 3,
        title: 'Retention rules',
        detail: facts.policy?.retention?.rules.length
          ? `${facts.policy.retention.rules.length} rule${facts.policy.retention.rules.length === 1 ? '' : 's'} select old tags in the windows.`
          : 'No retention rules: old tags stay until someone deletes them.',
      },
      (facts.policy?.retention?.rules.length ?? 0) > 0,
      'Add retention rules (keep the newest, protect releases) so old tags go in the windows.',
    ),
  facts =>
    check(
      {
        id: 'storage-planned',
        level: 3,
        title: 'Storage within the included amount',
        detail: facts.storage
          ? `${Math.round((facts.storage.accountBytes / facts.storage.includedBytes) * 100)} % of the included storage${
              facts.storage.includedReachedOn
                ? `; reached around ${facts.storage.includedReachedOn} at the current growth`
                : ''
            }.`
          : 'The account facts.storage or its tier is not known yet.',
      },
      !!facts.storage &&
        facts.storage.accountBytes <= facts.storage.includedBytes,
      'Bring facts.storage under the included amount (retention rules, garbage collection) or plan the next tier.',
    ),
  () => ({
    id: 'ci-credentials',
    level: 3,
    title: 'CI credentials read-only and expiring',
    status: 'unknown',
    detail:
      'Credentials from the portal (digitalocean:registry:docker-config) are read-only unless push is asked and always expire; the portal cannot see tokens made in the console or with doctl.',
    nextStep:
      'Confirm CI pulls with read-only, expiring credentials (the docker-config action) and rotates any long-lived token.',
  }),
  facts =>
    check(
      {
        id: 'second-region',
        level: 3,
        title: 'A second region',
        detail: otherRegionsOf(facts).length
          ? `The account also has registries in ${[...new Set(otherRegionsOf(facts))].sort().join(', ')}.`
          : `Every registry of the account is in ${facts.region ?? 'one region'}.`,
      },
      otherRegionsOf(facts).length > 0,
      'Add a registry in a second region (Professional allows several) for production images.',
    ),
];

/**
 * Places a registry on the maturity levels of DigitalOcean's operations procedure. A level is
 * reached when every check of it and of the levels below is passed or cannot be decided here
 * (CI credentials: the portal sees only those it hands out); those are listed to confirm.
 *
 * @public
 */
export function assessMaturity(facts: MaturityFacts): MaturityAssessment {
  const checks = CHECKS.map(build => build(facts));
  const reached = (level: 2 | 3) =>
    checks.filter(c => c.level <= level).every(c => c.status !== 'failed');
  let level: MaturityAssessment['level'] = 1;
  if (reached(2)) level = reached(3) ? 3 : 2;
  const next = checks.filter(
    c => c.level === Math.min(3, level + 1) && c.status !== 'passed',
  );
  const nextSteps = [
    ...next.filter(c => c.status === 'failed'),
    ...next.filter(c => c.status === 'unknown'),
  ].map(c => c.nextStep!);
  return { level, checks, nextSteps };
}

/**
 * What the docr API answers for a registry and the catalog holds of the account's registries,
 * as the facts its maturity is assessed on (the same for the card and the Tech Insights facts).
 *
 * @public
 */
export function maturityFactsOf(sources: {
  /** The annotations of the registry's entity. */
  annotations: Record<string, string>;
  /** The annotations of the catalog's registry entities (any account: filtered here). */
  registryAnnotations: Array<Record<string, string> | undefined>;
  policy: PolicyView;
  runs: GcRunView[];
  savings: SavingsView;
}): MaturityFacts {
  const { annotations, policy, runs, savings } = sources;
  const account = annotations[ANNOTATION_ACCOUNT];
  return {
    tierSlug: savings.tier?.slug ?? annotations[ANNOTATION_SUBSCRIPTION_TIER],
    policy: policy.policy,
    succeededRuns: runs.filter(r => r.status === RUN_STATUS.succeeded).length,
    storage:
      savings.tier && savings.trend.accountStorageBytes !== null
        ? {
            accountBytes: savings.trend.accountStorageBytes,
            includedBytes: savings.tier.includedStorageBytes,
            includedReachedOn: savings.trend.includedStorageReachedOn,
          }
        : undefined,
    region: annotations[ANNOTATION_REGION],
    accountRegions: sources.registryAnnotations.flatMap(other =>
      other?.[ANNOTATION_ACCOUNT] === account && other[ANNOTATION_REGION]
        ? [other[ANNOTATION_REGION]]
        : [],
    ),
  };
}
