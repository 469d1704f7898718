import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import {
  GcPolicy,
  RUN_STATUS,
  WindowOccurrence,
  registryEntityRef,
  subscriptionEntityRef,
} from '@backstage-docr/plugin-docr-common';
import { createHash } from 'node:crypto';
import type { GcRun } from '../database/DocrStore';
import type { RetentionJournalSummary } from '../retention/DeletionJournal';
import type { NotificationTopic } from './notificationsConfig';

/** One event, ready to notify: the key names it, so the same event is sent once. */
export interface DocrNotification {
  key: string;
  topic: NotificationTopic;
  /** The registry it is about (the hourly limit counts per registry); none when account-wide. */
  registryName?: string;
  /** Entities whose owners are told. */
  recipients: string[];
  title: string;
  description: string;
  /** The page that explains it. */
  link: string;
  severity: NotificationSeverity;
}

/**
 * The entity page of a `kind:namespace/name` ref (as `registryEntityRef` and
 * `subscriptionEntityRef` write them), at a tab if given.
 */
export function entityPagePath(entityRef: string, tab?: string): string {
  const [, kind, namespace, name] = entityRef.match(/^([^:]+):([^/]+)\/(.+)$/)!;
  const path = `/catalog/${namespace}/${kind.toLowerCase()}/${name}`;
  return tab ? `${path}/${tab}` : path;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit ? value.toFixed(1) : value} ${units[unit]}`;
}

const shortHash = (text: string) =>
  createHash('sha256').update(text).digest('hex').slice(0, 12);

function registryEvent(
  account: string,
  registryName: string,
  event: Omit<DocrNotification, 'recipients' | 'link' | 'registryName'>,
): DocrNotification {
  const entityRef = registryEntityRef(registryName, account);
  return {
    ...event,
    registryName,
    recipients: [entityRef],
    link: entityPagePath(entityRef, 'registry'),
  };
}

function accountEvent(
  account: string,
  event: Omit<DocrNotification, 'recipients' | 'link' | 'registryName'>,
): DocrNotification {
  const entityRef = subscriptionEntityRef(account);
  return { ...event, recipients: [entityRef], link: entityPagePath(entityRef) };
}

/** A run that ended without collecting: failed, cancelled (at its window's end) or skipped. */
export function gcProblemEvent(
  account: string,
  run: GcRun,
): DocrNotification | undefined {
  const reason = run.reason ? `: ${run.reason}` : '';
  const what =
    run.trigger === 'window' ? 'in its window' : `(${run.trigger} run)`;
  switch (run.status) {
    case RUN_STATUS.failed:
      return registryEvent(account, run.registryName, {
        key: `gc-failed:${run.id}`,
        topic: 'gcProblem',
        severity: 'high',
        title: `Garbage collection of ${run.registryName} failed`,
        description: `The garbage collection ${what} failed${reason}. Nothing was freed; its storage stays as it was.`,
      });
    case RUN_STATUS.cancelled:
      return registryEvent(account, run.registryName, {
        key: `gc-cancelled:${run.id}`,
        topic: 'gcProblem',
        severity: 'normal',
        title: `Garbage collection of ${run.registryName} was cancelled`,
        description: `The garbage collection ${what} was cancelled${reason}. What it had not freed waits for the next window.`,
      });
    case RUN_STATUS.skipped:
      return registryEvent(account, run.registryName, {
        key: `gc-skipped:${run.id}`,
        topic: 'gcProblem',
        severity: 'low',
        title: `Garbage collection of ${run.registryName} was skipped`,
        description: `The garbage collection ${what} did not start${reason}.`,
      });
    default:
      return undefined;
  }
}

export const retentionReportKey = (runId: number) =>
  `retention-report:${runId}`;

/**
 * Keys of events about one past thing (a run, a window occurrence): never derived again once
 * the runs they come from are older than a tick looks back, so the ledger may forget them.
 * Conditions (storage, the registry limit, an invalid policy, a registry gone) are kept while
 * they hold: forgetting them would notify again.
 */
export const ONE_OFF_EVENT_PREFIXES = [
  'gc-failed:',
  'gc-cancelled:',
  'gc-skipped:',
  'retention-report:',
  'window-soon:',
] as const;

/** After a window run whose retention rules deleted: what they deleted and kept, what the GC freed. */
export function retentionReportEvent(
  account: string,
  run: GcRun,
  summary: RetentionJournalSummary,
): DocrNotification {
  const byRule = Object.entries(summary.deletedByRule)
    .map(([rule, count]) => `rule ${Number(rule) + 1}: ${count}`)
    .join(', ');
  const kept = Math.max(0, summary.tagsListed - summary.deletedTags);
  const freed =
    run.freedBytes !== undefined
      ? `the garbage collection freed ${formatBytes(run.freedBytes)}`
      : `the garbage collection ended ${run.status}`;
  return registryEvent(account, run.registryName, {
    key: retentionReportKey(run.id),
    topic: 'retentionReport',
    severity: 'low',
    title: `Clean-up of ${run.registryName}: ${summary.deleted} deleted`,
    description:
      `Retention deleted ${summary.deletedTags} tags and ${summary.deletedManifests} untagged manifests` +
      `${byRule ? ` (${byRule})` : ''}; ${kept} of ${summary.tagsListed} tags kept` +
      `${summary.skipped ? `, ${summary.skipped} of them pushed again since they were selected` : ''}` +
      `${summary.failed ? `; ${summary.failed} deletions failed` : ''}; ${freed}.`,
  });
}

/**
 * Storage must fall this far below a threshold before crossing it again notifies again: usage
 * hovering around 80 % (pushes, then a GC) would otherwise notify on every hourly listing.
 */
export const STORAGE_REARM_MARGIN = 0.05;

/**
 * For the account's storage as a share of its tier's included storage: the threshold to notify
 * (once: the ledger holds it) and the thresholds whose notifications are re-armed, having
 * fallen `STORAGE_REARM_MARGIN` below them.
 */
export function storageThresholds(ratio: number): {
  threshold?: 80 | 100;
  rearm: string[];
} {
  const rearm = [
    ...(ratio < 1 - STORAGE_REARM_MARGIN ? ['storage-100:'] : []),
    ...(ratio < 0.8 - STORAGE_REARM_MARGIN ? ['storage-80:'] : []),
  ];
  if (ratio >= 1) return { threshold: 100, rearm };
  if (ratio >= 0.8) return { threshold: 80, rearm };
  return { rearm };
}

/** "acme-prod will be read-only Sat 22:00–01:00 Europe/Berlin". */
export function windowSoonEvent(
  account: string,
  registryName: string,
  policy: GcPolicy,
  occurrence: WindowOccurrence,
): DocrNotification {
  const zone = policy.windows[occurrence.windowIndex]?.timezone ?? 'UTC';
  const start = occurrence.start.setZone(zone).setLocale('en');
  const end = occurrence.end.setZone(zone).setLocale('en');
  const when = `${start.toFormat('ccc HH:mm')}–${end.toFormat('HH:mm')} ${zone}`;
  return registryEvent(account, registryName, {
    key: `window-soon:${registryName}:${occurrence.key}`,
    topic: 'windowSoon',
    severity: 'normal',
    title: `${registryName} will be read-only ${when}`,
    description: `Garbage collection runs in this window: pushes to ${registryName} fail while it runs (CI jobs too). Pulls keep working.`,
  });
}

export function policyInvalidEvent(
  account: string,
  registryName: string,
  problem: string,
): DocrNotification {
  return registryEvent(account, registryName, {
    key: `policy-invalid:${registryName}:${shortHash(problem)}`,
    topic: 'policyInvalid',
    severity: 'high',
    title: `The GC policy of ${registryName} is invalid`,
    description: `Its stored policy fails validation and is ignored until it is replaced: ${problem}`,
  });
}

export function registryGoneEvent(
  account: string,
  registryName: string,
  orphaned: { since: string; reason: string },
): DocrNotification {
  const event = registryEvent(account, registryName, {
    key: `registry-gone:${registryName}:${orphaned.since}`,
    topic: 'registryGone',
    severity: 'high',
    title: `Registry ${registryName} was deleted outside the portal`,
    description: `DigitalOcean no longer has ${registryName} (${orphaned.reason}). Its GC policy is kept, not acted on.`,
  });
  // The registry's entity leaves the catalog at its next refresh: the account's owners hear too.
  return {
    ...event,
    recipients: [...event.recipients, subscriptionEntityRef(account)],
  };
}

export function storageEvent(
  account: string,
  threshold: 80 | 100,
  usedBytes: number,
  includedBytes: number,
  tierName: string,
): DocrNotification {
  const percent = Math.round((usedBytes / includedBytes) * 100);
  return accountEvent(account, {
    key: `storage-${threshold}:${tierName}`,
    topic: 'storage',
    severity: threshold === 100 ? 'high' : 'normal',
    title:
      threshold === 100
        ? `Registry storage is over the ${tierName} tier's included storage`
        : `Registry storage at ${percent} % of the ${tierName} tier's included storage`,
    description: `The account's registries use ${formatBytes(usedBytes)} of ${formatBytes(includedBytes)} included. ${
      threshold === 100
        ? 'Storage past it is billed as overage (or pushes fail where the tier allows none): clean up, or move to a larger tier.'
        : 'Clean up (retention rules, garbage collection) or plan a larger tier before pushes cost overage.'
    }`,
  });
}

export function registryLimitEvent(
  account: string,
  count: number,
  limit: number,
  tierName: string,
): DocrNotification {
  return accountEvent(account, {
    key: `registry-limit:${tierName}:${limit}`,
    topic: 'registryLimit',
    severity: 'normal',
    title: `The account has ${count} of the ${tierName} tier's ${limit} registries`,
    description:
      'No further registry can be created on this tier: delete one, or move to a tier that allows more.',
  });
}
