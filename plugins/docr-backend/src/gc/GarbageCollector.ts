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

/** One tick's time, report and stop signal, shared by its phases. */
interface Tick {
  now: Date;
  report: TickReport;
  signal?: AbortSignal;
  /** Whether the scheduler asked the tick to stop (then marked in the report). */
  stop: () => boolean;
}

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
    const { signal } = options;
    const report = emptyReport();
    const tick: Tick = {
      now: this.ctx.now(),
      report,
      signal,
      stop: () => {
        if (signal?.aborted) report.aborted = true;
        return Boolean(report.aborted);
      },
    };
    const listing = await this.listRegistries(tick);
    if (!listing || (await this.followRuns(tick))) return report;
    await this.startWindows(tick, listing);
    return report;
  }

  /** The account's registries: listed again when a sample is due, else the last listing. */
  private async listRegistries(tick: Tick) {
    const { now, report, signal } = tick;
    const listing = await this.ctx.store.latestListing();
    if (!(await this.sampler.isDue(now))) return listing;
    try {
      const sampled = await this.sampler.sample(now, report, { signal });
      report.sampled = true;
      return sampled;
    } catch (error) {
      if (tick.stop()) return undefined;
      // The previous listing still says which registries to look after.
      report.errors.push(`listing registries: ${toError(error).message}`);
      this.ctx.logger.warn(`Could not list the account's registries: ${error}`);
      return listing;
    }
  }

  /** Follows the runs in flight and records storage after the ended ones; true if stopped. */
  private async followRuns(tick: Tick): Promise<boolean> {
    const { store } = this.ctx;
    const { now, report, signal } = tick;
    for (const run of await store.runsInFlight()) {
      if (tick.stop()) return true;
      await this.runs.watch(run, now, report, { signal });
    }
    // Bounded: an hour after the collection the hourly listing has the figure anyway.
    const since = new Date(now.getTime() - STORAGE_AFTER_WAIT_MS);
    for (const run of await store.runsAwaitingStorage(since)) {
      if (tick.stop()) return true;
      try {
        await this.runs.recordStorageAfter(run, now, { signal });
      } catch (error) {
        if (tick.stop()) return true;
        report.errors.push(`${run.registryName}: ${toError(error).message}`);
      }
    }
    return false;
  }

  /**
   * Starts the runs of the windows open now: the registries of the last listing, and any with a
   * stored policy (created since).
   */
  private async startWindows(
    tick: Tick,
    listing: { registryName: string; storageBytes: number }[],
  ) {
    const { logger } = this.ctx;
    const { now, report, signal } = tick;
    const effective = await this.ctx.policies.resolveAll(
      listing.map(s => s.registryName),
    );
    const storage = new Map(listing.map(s => [s.registryName, s.storageBytes]));
    for (const [registryName, { policy, orphaned, problem }] of effective) {
      if (tick.stop()) return;
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
        if (tick.stop()) return;
        report.errors.push(`${registryName}: ${toError(error).message}`);
        logger.error(
          `Garbage collection of ${registryName} failed this tick: ${error}`,
        );
      }
    }
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
