import { DateTime } from 'luxon';
import {
  GcRunView,
  RegistrySummaryView,
  nextWindowAfter,
  openWindowAt,
} from '@backstage-docr/plugin-docr-common';
import type { GcRun } from '../database/DocrStore';
import type { EffectivePolicy } from '../PolicyResolver';
import type { RetentionJournalSummary } from '../retention/DeletionJournal';

/** A run as the REST API shows it, with what its retention deleted when that is known. */
export function presentRun(
  run: GcRun,
  retention?: RetentionJournalSummary,
): GcRunView {
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
    ...(retention
      ? {
          retention: {
            ...retention,
            plannedAt: retention.plannedAt.toISOString(),
          },
        }
      : {}),
  };
}

/**
 * A registry as the REST API shows it: its newest storage sample, its effective policy, the
 * window open now or the next one (none while the policy cannot act), and its runs.
 */
export function presentRegistry(
  name: string,
  storage: { storageBytes: number; sampledAt: Date } | undefined,
  effective: EffectivePolicy,
  runs: { last?: GcRun; active?: GcRun },
  at: Date,
): RegistrySummaryView {
  const now = DateTime.fromJSDate(at);
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
