import { toError } from '@backstage/errors';
import { DateTime } from 'luxon';
import type { GcType } from '@backstage-docr/plugin-docr-common';
import { openWindowAt } from '@backstage-docr/plugin-docr-common';
import type { GcRun } from '../database/DocrStore';
import { GcContext, TickReport, emptyReport } from './context';
import { GcCommands } from './GcCommands';
import { RunReconciler } from './RunReconciler';
import { StorageSampler } from './StorageSampler';
import { WindowScheduler } from './WindowScheduler';

export { contentFingerprint } from './RunReconciler';
export { UNCONFIRMED_START_GRACE_MS } from './context';
export type { TickReport } from './context';

/** How long after a collection ends the task waits for DigitalOcean's updated storage figure. */
export const STORAGE_AFTER_WAIT_MS = 60 * 60_000;

/**
 * Runs garbage collection inside each registry's windows. One `tick` does, in order:
 * 1. at most once per sample interval, lists the account's registries (their storage is the
 *    storage sample, and the list is the set of registries to look after), notices registries
 *    gone from DigitalOcean, imports collections started elsewhere and prunes old history;
 * 2. watches every run in flight until DigitalOcean reports its end, cancelling a window run
 *    still going at window end when the policy says so;
 * 3. starts a run for each registry whose window is open and which has none for this window
 *    occurrence yet.
 * Outside windows, with nothing in flight, it calls DigitalOcean for nothing but the sample.
 * A problem with one registry (a bad stored policy, a DigitalOcean error) is reported and the
 * others are still looked after; an aborted tick stops between two registries.
 */
export class GarbageCollector {
  private readonly runs: RunReconciler;
  private readonly sampler: StorageSampler;
  private readonly windows: WindowScheduler;
  private readonly commands: GcCommands;

  constructor(private readonly ctx: GcContext) {
    this.runs = new RunReconciler(ctx);
    this.sampler = new StorageSampler(ctx, this.runs);
    this.windows = new WindowScheduler(ctx, this.runs);
    this.commands = new GcCommands(ctx, this.runs);
  }

  async tick(options: { signal?: AbortSignal } = {}): Promise<TickReport> {
    const { store, policies, logger } = this.ctx;
    const { signal } = options;
    const now = this.ctx.now();
    const report = emptyReport();
    const stop = () => {
      if (signal?.aborted) report.aborted = true;
      return report.aborted;
    };

    let listing = await store.latestListing();
    if (await this.sampler.isDue(now)) {
      try {
        listing = await this.sampler.sample(now, report, { signal });
        report.sampled = true;
      } catch (error) {
        if (stop()) return report;
        // The previous listing still says which registries to look after.
        report.errors.push(`listing registries: ${toError(error).message}`);
        logger.warn(`Could not list the account's registries: ${error}`);
      }
    }

    for (const run of await store.runsInFlight()) {
      if (stop()) return report;
      await this.runs.watch(run, now, report, { signal });
    }
    // Bounded: an hour after the collection the hourly listing has the figure anyway.
    const since = new Date(now.getTime() - STORAGE_AFTER_WAIT_MS);
    for (const run of await store.runsAwaitingStorage(since)) {
      if (stop()) return report;
      try {
        await this.runs.recordStorageAfter(run, now, { signal });
      } catch (error) {
        if (stop()) return report;
        report.errors.push(`${run.registryName}: ${toError(error).message}`);
      }
    }

    // The registries of the last listing, and any with a stored policy (created since).
    const effective = await policies.resolveAll(
      listing.map(s => s.registryName),
    );
    const storage = new Map(listing.map(s => [s.registryName, s.storageBytes]));
    for (const [registryName, { policy, orphaned, problem }] of effective) {
      if (stop()) return report;
      if (orphaned) continue;
      if (problem) {
        report.errors.push(
          `${registryName}: invalid stored policy: ${problem}`,
        );
        logger.error(
          `The stored GC policy of ${registryName} is invalid and is ignored until it is replaced: ${problem}`,
        );
        continue;
      }
      try {
        if (!policy.enabled) continue;
        const occurrence = openWindowAt(
          policy.windows,
          DateTime.fromJSDate(now),
        );
        if (!occurrence) continue;
        await this.windows.startInWindow(
          registryName,
          policy,
          occurrence,
          storage.get(registryName),
          now,
          report,
          { signal },
        );
      } catch (error) {
        if (stop()) return report;
        report.errors.push(`${registryName}: ${toError(error).message}`);
        logger.error(
          `Garbage collection of ${registryName} failed this tick: ${error}`,
        );
      }
    }
    return report;
  }

  /** Starts a collection now, outside any window (the "run GC now" button). */
  startNow(
    registryName: string,
    options: { type?: GcType; requestedBy: string },
  ): Promise<GcRun> {
    return this.commands.startNow(registryName, options);
  }

  cancel(registryName: string, runId: number, cancelledBy: string) {
    return this.commands.cancel(registryName, runId, cancelledBy);
  }

  /** Imports collections DigitalOcean knows and we do not (started from the console or doctl). */
  importExternalRuns(registryName: string): Promise<number> {
    return this.runs.importExternalRuns(registryName);
  }
}
