import { DateTime, Duration } from 'luxon';
import {
  RUN_STATUS,
  nextWindowAfter,
  registryLimitForTier,
} from '@backstage-docr/plugin-docr-common';
import type { DocrStore } from '../database/DocrStore';
import type { TickReport } from '../gc/context';
import type { EffectivePolicy, PolicyResolver } from '../PolicyResolver';
import type { SubscriptionStore } from '../subscription/SubscriptionStore';
import {
  DocrNotification,
  gcProblemEvent,
  policyInvalidEvent,
  registryGoneEvent,
  registryLimitEvent,
  retentionReportEvent,
  retentionReportKey,
  storageEvent,
  storageThresholds,
  windowSoonEvent,
} from './events';
import type { Notifier } from './Notifier';

/** How far back a tick looks for ended runs not notified yet (a backend down for a day included). */
const ENDED_RUNS_LOOKBACK_MS = 24 * 3_600_000;
/** One-off events are remembered this long, well past the lookback, then forgotten. */
export const ONE_OFF_EVENTS_KEPT_MS = 7 * 24 * 3_600_000;

const durationMs = (iso: string) => Duration.fromISO(iso).as('milliseconds');

/**
 * What one account's GC tick gives to notify, read from the state the tick left (runs, listing,
 * policies), not from the tick's own steps: a run that ended on a tick whose replica stopped
 * before notifying is still notified by the next tick, on whichever replica runs it.
 */
export class AccountNotifications {
  constructor(
    private readonly deps: {
      account: string;
      store: DocrStore;
      policies: PolicyResolver;
      /** The tier as the hourly listing read it (sampleSubscriptions). */
      subscriptions: SubscriptionStore;
      notifier: Notifier;
    },
  ) {}

  async afterTick(report: TickReport, now: Date): Promise<void> {
    const listing = await this.deps.store.latestListing();
    const policies = await this.deps.policies.resolveAll(
      listing.map(s => s.registryName),
    );
    const events = [
      ...(await this.endedRunEvents(now)),
      ...this.policyEvents(policies, now),
    ];
    for (const event of await this.deps.notifier.unsent(
      this.deps.account,
      events,
    ))
      await this.send(event, now);
    // Storage and the registry count change with the listing (hourly), not every tick.
    if (report.sampled) {
      await this.accountLimits(listing, now);
      await this.deps.notifier.prune(
        new Date(now.getTime() - ONE_OFF_EVENTS_KEPT_MS),
      );
    }
  }

  private send(event: DocrNotification, now: Date) {
    return this.deps.notifier.notify(this.deps.account, event, now);
  }

  private async endedRunEvents(now: Date): Promise<DocrNotification[]> {
    const { account, store } = this.deps;
    const runs = await store.runsEndedSince(
      new Date(now.getTime() - ENDED_RUNS_LOOKBACK_MS),
    );
    // Only the reports not sent yet read the retention journal.
    const windowRuns = runs.filter(
      r => r.status === RUN_STATUS.succeeded && r.trigger === 'window',
    );
    const reported = await this.deps.notifier.known(
      account,
      windowRuns.map(r => retentionReportKey(r.id)),
    );
    const summaries = await store.retentionSummaries(
      windowRuns.filter(r => !reported.has(retentionReportKey(r.id))),
    );
    const events: DocrNotification[] = [];
    for (const run of runs) {
      // A registry gone from DigitalOcean is told once, by its own event.
      if (run.reason?.startsWith('Registry no longer exists')) continue;
      const problem = gcProblemEvent(account, run);
      if (problem) events.push(problem);
      const summary = summaries.get(run.id);
      if (summary && summary.deleted > 0)
        events.push(retentionReportEvent(account, run, summary));
    }
    return events;
  }

  private policyEvents(
    policies: Map<string, EffectivePolicy>,
    now: Date,
  ): DocrNotification[] {
    const { account } = this.deps;
    const events: DocrNotification[] = [];
    const at = DateTime.fromJSDate(now);
    for (const [registryName, effective] of policies) {
      const { policy, orphaned, problem } = effective;
      if (orphaned) {
        events.push(registryGoneEvent(account, registryName, orphaned));
        continue;
      }
      if (problem) {
        events.push(policyInvalidEvent(account, registryName, problem));
        continue;
      }
      const lead = policy.notifyBeforeWindow ?? 'PT30M';
      if (!policy.enabled || lead === 'off') continue;
      const next = nextWindowAfter(policy.windows, at);
      if (next && next.start.diff(at).toMillis() <= durationMs(lead))
        events.push(windowSoonEvent(account, registryName, policy, next));
    }
    return events;
  }

  private async accountLimits(
    listing: { registryName: string; storageBytes: number }[],
    now: Date,
  ) {
    const { account, subscriptions, notifier } = this.deps;
    const tier = (await subscriptions.latest(account))?.tier;
    if (!tier?.slug) return;
    const tierName = tier.name ?? tier.slug;
    const used = listing.reduce((sum, s) => sum + s.storageBytes, 0);
    const included = tier.included_storage_bytes ?? 0;
    if (included > 0) {
      const { rearm, threshold } = storageThresholds(used / included);
      for (const prefix of rearm) await notifier.rearm(account, prefix);
      if (threshold)
        await this.send(
          storageEvent(account, threshold, used, included, tierName),
          now,
        );
    }
    const limit = registryLimitForTier(tier.slug);
    if (listing.length >= limit)
      await this.send(
        registryLimitEvent(account, listing.length, limit, tierName),
        now,
      );
    else await notifier.rearm(account, 'registry-limit:');
  }
}
