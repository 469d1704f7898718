import { toError } from '@backstage/errors';
import type { StorageSample } from '../database/DocrStore';
import { GcContext, TickReport } from './context';
import type { RunReconciler } from './RunReconciler';

/**
 * The hourly look at the whole account: one listing of every registry gives the storage sample
 * and the set of registries to look after. Registries missing from it are gone (their runs are
 * closed and their policies orphaned; one that comes back is adopted again), collections started
 * from the console or doctl are imported, and old history is pruned.
 */
export class StorageSampler {
  constructor(
    private readonly ctx: GcContext,
    private readonly runs: RunReconciler,
  ) {}

  /** Whether the account is due a full listing; one with no registry counts as a listing. */
  async isDue(now: Date): Promise<boolean> {
    const listedAt = await this.ctx.store.lastListingAt();
    return (
      !listedAt ||
      now.getTime() - listedAt.getTime() >=
        this.ctx.config.storageSampleIntervalMs
    );
  }

  async sample(
    now: Date,
    report: TickReport,
    options: { signal?: AbortSignal } = {},
  ): Promise<StorageSample[]> {
    const { store, client, config, logger } = this.ctx;
    const registries = await client.listRegistries(options);
    const samples = registries.map(r => ({
      registryName: r.name!,
      storageBytes: r.storage_usage_bytes ?? 0,
      sampledAt: now,
      fullListing: true,
    }));
    await store.recordListing(samples, now);

    const present = new Set(samples.map(s => s.registryName));
    const back = await store.clearOrphaned([...present]);
    for (const name of back)
      logger.info(`Registry ${name} exists in DigitalOcean again`);
    // Stored policies (set before this listing) and runs in flight of registries not listed.
    const stored = await store.allStoredPolicies();
    const missing = new Set(
      [...stored]
        .filter(
          ([name, p]) =>
            !present.has(name) && p.updatedAt.getTime() <= now.getTime(),
        )
        .map(([name]) => name),
    );
    for (const run of await store.runsInFlight()) {
      if (!present.has(run.registryName)) missing.add(run.registryName);
    }
    await this.runs.registryGone(
      [...missing],
      `not in DigitalOcean's list of registries at ${now.toISOString()}`,
      now,
      report,
    );

    // Collections started from the console or doctl join the history within the hour.
    for (const name of [...present].sort()) {
      if (options.signal?.aborted) break;
      try {
        await this.runs.importExternalRuns(name, options);
      } catch (error) {
        if (options.signal?.aborted) break;
        report.errors.push(`${name}: ${toError(error).message}`);
        logger.warn(
          `Could not read the garbage collections of ${name}: ${error}`,
        );
      }
    }

    const pruned = await store.prune({
      runsBefore: new Date(now.getTime() - config.runRetentionMs),
      samplesBefore: new Date(now.getTime() - config.sampleRetentionMs),
    });
    if (pruned.runs || pruned.samples) {
      logger.info(
        `Pruned ${pruned.runs} old garbage collection runs and ${pruned.samples} storage samples`,
      );
    }
    return samples;
  }
}
