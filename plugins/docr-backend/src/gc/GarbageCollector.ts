import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  GarbageCollection,
  RepositoryV2,
} from '@backstage-docr/digitalocean-openapi';
import {
  DEFAULT_GC_TYPE,
  GcPolicy,
  GcType,
  WindowOccurrence,
  openWindowAt,
} from '@backstage-docr/plugin-docr-common';
import {
  DigitalOceanClient,
  isConflictError,
} from '@backstage-docr/plugin-docr-node';
import type { DocrBackendConfig } from '../config';
import {
  FINAL_STATUSES,
  DocrStore,
  GcRun,
  STARTING,
} from '../database/DocrStore';
import type { PolicyResolver } from '../policies';

/** DigitalOcean's statuses after which a collection does nothing more. */
const DO_TERMINAL = ['succeeded', 'failed', 'cancelled'];

/** How far a DigitalOcean run's start may precede our intent and still be the one we asked for. */
const ADOPT_SLACK_MS = 60_000;

/**
 * How long a start may go unanswered before it is looked into: long enough for the replica that
 * claimed it to get DigitalOcean's answer (request timeout and retries included).
 */
export const UNCONFIRMED_START_GRACE_MS = 5 * 60_000;

export interface TickReport {
  sampled: boolean;
  started: string[];
  skipped: string[];
  finished: string[];
  cancelling: string[];
}

/** What a repository listing says about content, to tell cheaply that nothing changed. */
export function contentFingerprint(repositories: RepositoryV2[]): string {
  const summary = repositories
    .map(r => [
      r.name,
      r.tag_count,
      r.manifest_count,
      r.latest_manifest?.digest ?? null,
    ])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return createHash('sha256').update(JSON.stringify(summary)).digest('hex');
}

/**
 * Runs garbage collection inside each registry's windows. One `tick` does, in order:
 * 1. at most once per sample interval, lists the account's registries (their storage is the
 *    storage sample, and the list is the set of registries to look after) and prunes old history;
 * 2. watches every run in flight until DigitalOcean reports its end, cancelling a window run
 *    still going at window end when the policy says so;
 * 3. starts a run for each registry whose window is open and which has none for this window
 *    occurrence yet.
 * Outside windows, with nothing in flight, it calls DigitalOcean for nothing but the sample.
 */
export class GarbageCollector {
  constructor(
    private readonly options: {
      store: DocrStore;
      policies: PolicyResolver;
      client: DigitalOceanClient;
      config: DocrBackendConfig;
      now: () => Date;
      logger: LoggerService;
    },
  ) {}

  async tick(): Promise<TickReport> {
    const { store, config } = this.options;
    const now = this.options.now();
    const report: TickReport = {
      sampled: false,
      started: [],
      skipped: [],
      finished: [],
      cancelling: [],
    };

    let listing = await store.latestListing();
    const sampledAt = listing[0]?.sampledAt;
    if (
      !sampledAt ||
      now.getTime() - sampledAt.getTime() >= config.storageSampleIntervalMs
    ) {
      listing = await this.sampleStorage(now);
      report.sampled = true;
    }

    for (const run of await store.runsInFlight()) {
      await this.watch(run, now, report);
    }

    // The registries of the last listing, and any with a stored policy (created since).
    const effective = await this.options.policies.resolveAll(
      listing.map(s => s.registryName),
    );
    const storage = new Map(listing.map(s => [s.registryName, s.storageBytes]));
    for (const [registryName, { policy }] of effective) {
      if (!policy.enabled) continue;
      const occurrence = openWindowAt(policy.windows, DateTime.fromJSDate(now));
      if (!occurrence) continue;
      if (await store.runForOccurrence(registryName, occurrence.key)) continue;
      await this.startInWindow(
        registryName,
        policy,
        occurrence,
        storage.get(registryName),
        now,
        report,
      );
    }
    return report;
  }

  /** Starts a collection now, outside any window (the "run GC now" button). */
  async startNow(
    registryName: string,
    options: { type?: GcType; requestedBy: string },
  ): Promise<GcRun> {
    const { store, client } = this.options;
    const registry = await client.findRegistry(registryName);
    if (!registry)
      throw new NotFoundError(
        `No registry named "${registryName}" in the DigitalOcean account`,
      );
    const inFlight = (await store.runsInFlight()).find(
      r => r.registryName === registryName,
    );
    if (inFlight) {
      throw new ConflictError(
        `A garbage collection of "${registryName}" is already ${inFlight.status} (run ${inFlight.id})`,
      );
    }
    const active = await client.getActiveGarbageCollection(registryName);
    if (active) {
      await this.recordExternal(registryName, active);
      throw new ConflictError(
        `DigitalOcean is already running garbage collection ${active.uuid} on "${registryName}" (${active.status})`,
      );
    }
    const now = this.options.now();
    const type =
      options.type ??
      (await this.options.policies.resolve(registryName)).policy.type;
    const run = (await store.claimRun({
      registryName,
      trigger: 'manual',
      type,
      storageBefore: registry.storage_usage_bytes,
      requestedBy: options.requestedBy,
      now,
    }))!;
    try {
      const gc = await client.startGarbageCollection(registryName, type);
      return store.updateRun(run, {
        doUuid: gc.uuid,
        status: gc.status ?? 'requested',
        startedAt: now,
      });
    } catch (error) {
      if (isConflictError(error)) {
        await store.updateRun(run, {
          status: 'skipped',
          reason: (error as Error).message,
          finishedAt: now,
        });
        throw new ConflictError(
          `DigitalOcean refused: ${(error as Error).message}`,
        );
      }
      // Whether it started is unknown: the next tick looks for it before giving up on it.
      await store.updateRun(run, {
        reason: `Start request failed: ${(error as Error).message}`,
      });
      throw error;
    }
  }

  async cancel(
    registryName: string,
    runId: number,
    cancelledBy: string,
  ): Promise<GcRun> {
    const { store, client } = this.options;
    const run = await store.runById(runId);
    if (!run || run.registryName !== registryName) {
      throw new NotFoundError(
        `No garbage collection run ${runId} for registry "${registryName}"`,
      );
    }
    if (FINAL_STATUSES.includes(run.status)) {
      throw new ConflictError(`Run ${runId} has already ended (${run.status})`);
    }
    if (!run.doUuid)
      throw new ConflictError(
        `Run ${runId} has not been started by DigitalOcean yet`,
      );
    const gc = await client.cancelGarbageCollection(registryName, run.doUuid);
    return store.updateRun(run, {
      status: gc.status ?? 'cancelling',
      cancelRequestedAt: this.options.now(),
      reason: `Cancelled by ${cancelledBy}`,
    });
  }

  /** Imports collections DigitalOcean knows and we do not (started from the console or doctl). */
  async importExternalRuns(registryName: string): Promise<number> {
    const history = await this.options.client.listGarbageCollections(
      registryName,
      { limit: 20 },
    );
    const known = await this.options.store.knownUuids(registryName);
    let imported = 0;
    for (const gc of history) {
      if (gc.uuid && !known.has(gc.uuid)) {
        await this.recordExternal(registryName, gc);
        imported++;
      }
    }
    return imported;
  }

  private async sampleStorage(now: Date) {
    const { store, client, config, logger } = this.options;
    const registries = await client.listRegistries();
    const samples = registries.map(r => ({
      registryName: r.name!,
      storageBytes: r.storage_usage_bytes ?? 0,
      sampledAt: now,
      fullListing: true,
    }));
    await store.insertSamples(samples);
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

  private async startInWindow(
    registryName: string,
    policy: GcPolicy,
    occurrence: WindowOccurrence,
    storageBefore: number | undefined,
    now: Date,
    report: TickReport,
  ) {
    const { store, client, logger } = this.options;
    // The intent is written first; the unique (registry, occurrence) key makes this the only run
    // of the occurrence, even if another replica's tick gets here at the same time.
    const run = await store.claimRun({
      registryName,
      trigger: 'window',
      occurrenceKey: occurrence.key,
      type: policy.type,
      storageBefore,
      windowEnd: occurrence.end.toJSDate(),
      now,
    });
    if (!run) return;
    try {
      // Collections started from the console or doctl since the last window join the history.
      await this.importExternalRuns(registryName);
      const active = await client.getActiveGarbageCollection(registryName);
      if (active) {
        await this.recordExternal(registryName, active);
        await this.skip(
          run,
          `DigitalOcean was already running garbage collection ${active.uuid} (${active.status}), started outside the portal`,
          now,
          report,
        );
        return;
      }
      const unchanged = await this.nothingChangedSince(
        registryName,
        policy.type,
      );
      if (unchanged) {
        await this.skip(run, unchanged, now, report);
        return;
      }
      const gc = await client.startGarbageCollection(registryName, policy.type);
      await store.updateRun(run, {
        doUuid: gc.uuid,
        status: gc.status ?? 'requested',
        startedAt: now,
      });
      report.started.push(registryName);
      logger.info(
        `Started garbage collection ${gc.uuid} of ${registryName} (${policy.type}) in window ${occurrence.key}`,
      );
    } catch (error) {
      if (isConflictError(error)) {
        await this.skip(
          run,
          `DigitalOcean refused to start: ${(error as Error).message}`,
          now,
          report,
        );
        return;
      }
      // The request may or may not have reached DigitalOcean; `watch` finds out on the next tick.
      await store.updateRun(run, {
        reason: `Start request failed: ${(error as Error).message}`,
      });
      logger.warn(
        `Starting garbage collection of ${registryName} failed: ${error}`,
      );
    }
  }

  /**
   * A reason to skip when DigitalOcean can tell cheaply that there is nothing to collect: the
   * repositories (tags, manifests, latest digests) are exactly as right after the last
   * successful collection of a type that covers this one. Costs one repository listing.
   */
  private async nothingChangedSince(
    registryName: string,
    type: GcType,
  ): Promise<string | undefined> {
    const last = await this.options.store.lastSucceeded(registryName);
    if (!last?.contentFingerprint || !last.finishedAt) return undefined;
    if (last.type !== type && last.type !== DEFAULT_GC_TYPE) return undefined;
    const repositories =
      await this.options.client.listRepositories(registryName);
    if (contentFingerprint(repositories) !== last.contentFingerprint)
      return undefined;
    return `Nothing to collect: no image was pushed, tagged or deleted since the collection of ${last.finishedAt.toISOString()} (run ${last.id})`;
  }

  private async skip(
    run: GcRun,
    reason: string,
    now: Date,
    report: TickReport,
  ) {
    await this.options.store.updateRun(run, {
      status: 'skipped',
      reason,
      finishedAt: now,
    });
    report.skipped.push(run.registryName);
    this.options.logger.info(
      `Skipped garbage collection of ${run.registryName}: ${reason}`,
    );
  }

  /**
   * Records a collection DigitalOcean reports: if it answers one of our starts that got no
   * answer, it is adopted into that run; otherwise it was started outside the portal.
   */
  private async recordExternal(registryName: string, gc: GarbageCollection) {
    const { store } = this.options;
    const existing = gc.uuid ? await store.runByUuid(gc.uuid) : undefined;
    if (existing) return existing;
    const createdAt = gc.created_at ? Date.parse(gc.created_at) : undefined;
    const unconfirmed = (await store.runsInFlight()).find(
      r =>
        r.registryName === registryName &&
        !r.doUuid &&
        createdAt !== undefined &&
        Math.abs(createdAt - r.createdAt.getTime()) <= ADOPT_SLACK_MS,
    );
    if (unconfirmed) {
      return store.updateRun(unconfirmed, {
        doUuid: gc.uuid,
        status: gc.status ?? 'requested',
        startedAt: new Date(createdAt!),
      });
    }
    const run = await store.claimRun({
      registryName,
      trigger: 'external',
      doUuid: gc.uuid,
      status: gc.status ?? 'requested',
      now: gc.created_at ? new Date(gc.created_at) : this.options.now(),
    });
    if (run && gc.status && DO_TERMINAL.includes(gc.status)) {
      return store.updateRun(run, {
        blobsDeleted: gc.blobs_deleted,
        freedBytes: gc.freed_bytes,
        finishedAt: gc.updated_at ? new Date(gc.updated_at) : undefined,
      });
    }
    return run;
  }

  /** Follows a run in flight one step: adopt, poll, cancel at window end, or record its end. */
  private async watch(run: GcRun, now: Date, report: TickReport) {
    const { store, client, logger } = this.options;
    try {
      if (!run.doUuid) {
        await this.resolveUnconfirmedStart(run, now);
        return;
      }
      const active = await client.getActiveGarbageCollection(run.registryName);
      if (active?.uuid === run.doUuid) {
        let current = await store.updateRun(run, {
          status: active.status ?? run.status,
        });
        if (await this.shouldCancelAtWindowEnd(current, now)) {
          const cancelled = await client.cancelGarbageCollection(
            run.registryName,
            run.doUuid,
          );
          current = await store.updateRun(current, {
            status: cancelled.status ?? 'cancelling',
            cancelRequestedAt: now,
            reason: `Cancelled at window end (${current.windowEnd!.toISOString()}) so the registry does not stay read-only`,
          });
          report.cancelling.push(run.registryName);
          logger.warn(
            `Cancelling garbage collection ${run.doUuid} of ${run.registryName}: its window has ended`,
          );
        }
        return;
      }
      const history = await client.listGarbageCollections(run.registryName, {
        limit: 20,
      });
      const final = history.find(gc => gc.uuid === run.doUuid);
      if (!final) {
        await store.updateRun(run, {
          status: 'failed',
          reason: 'DigitalOcean no longer reports this garbage collection',
          finishedAt: now,
        });
        return;
      }
      if (!final.status || !DO_TERMINAL.includes(final.status)) {
        await store.updateRun(run, { status: final.status ?? run.status });
        return;
      }
      await this.finish(run, final, now);
      report.finished.push(run.registryName);
    } catch (error) {
      logger.warn(
        `Could not follow garbage collection run ${run.id} of ${run.registryName}: ${error}`,
      );
    }
  }

  private async shouldCancelAtWindowEnd(
    run: GcRun,
    now: Date,
  ): Promise<boolean> {
    if (run.trigger !== 'window' || !run.windowEnd || run.cancelRequestedAt)
      return false;
    if (now.getTime() < run.windowEnd.getTime()) return false;
    return (await this.options.policies.resolve(run.registryName)).policy
      .cancelAtWindowEnd;
  }

  private async finish(run: GcRun, final: GarbageCollection, now: Date) {
    const { store, client } = this.options;
    const registry = await client.findRegistry(run.registryName);
    const storageAfter = registry?.storage_usage_bytes;
    const fingerprint =
      final.status === 'succeeded' && registry
        ? contentFingerprint(await client.listRepositories(run.registryName))
        : undefined;
    await store.updateRun(run, {
      status: final.status,
      blobsDeleted: final.blobs_deleted,
      freedBytes: final.freed_bytes,
      storageAfter,
      contentFingerprint: fingerprint,
      finishedAt: final.updated_at ? new Date(final.updated_at) : now,
    });
    if (storageAfter !== undefined) {
      await store.insertSamples([
        {
          registryName: run.registryName,
          storageBytes: storageAfter,
          sampledAt: now,
        },
      ]);
    }
  }

  /**
   * A run whose start request got no answer (the backend stopped, or the connection broke). If
   * DigitalOcean has a collection created around our intent, that is ours; otherwise it never
   * started. Either way no second collection is started for the occurrence.
   */
  private async resolveUnconfirmedStart(run: GcRun, now: Date) {
    const { store, client } = this.options;
    if (now.getTime() - run.createdAt.getTime() < UNCONFIRMED_START_GRACE_MS)
      return;
    const since = run.createdAt.getTime() - ADOPT_SLACK_MS;
    const createdAfterIntent = (gc: GarbageCollection) =>
      gc.created_at !== undefined && Date.parse(gc.created_at) >= since;
    const active = await client.getActiveGarbageCollection(run.registryName);
    const candidates = active
      ? [active]
      : await client.listGarbageCollections(run.registryName, { limit: 5 });
    for (const gc of candidates) {
      if (
        gc.uuid &&
        createdAfterIntent(gc) &&
        !(await store.runByUuid(gc.uuid))
      ) {
        await store.updateRun(run, {
          doUuid: gc.uuid,
          status: gc.status ?? 'requested',
          startedAt: new Date(gc.created_at!),
        });
        return;
      }
    }
    if (run.status === STARTING) {
      await store.updateRun(run, {
        status: 'failed',
        reason:
          run.reason ??
          'DigitalOcean has no record of this garbage collection starting',
        finishedAt: now,
      });
    }
  }
}
