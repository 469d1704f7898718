import { toError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  Retention,
  RetentionRule,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import {
  DeletionJournal,
  JournalEntry,
  RetentionJournalSummary,
  RetentionRunKey,
  noDeletionsYet,
} from './DeletionJournal';
import { listRegistryNow } from './freshListing';
import { planDeletions } from './plan';
import type { RetentionBudgetStore } from './RetentionBudgetStore';
import {
  DEFAULT_RETENTION_PACING,
  RetentionPacing,
  RunGuard,
  Sleep,
} from './RunGuard';
import { TagChecker, type Verdict } from './TagChecker';
import { checkSubject } from './subjectCheck';
import type { ImagesInUseCache } from '../inUse/ImagesInUseCache';
import { readRegistryInUse, untaggedInUseNarrowsGc } from './inUseSelection';
import { deleteEntry, describeEntry } from './deleteEntry';
import {
  ImageGraphAccess,
  headBeforeDelete,
  readGraphsForPlan,
} from './imageGraphs';

/** One registry's retention in one GC window occurrence. */
export interface RetentionRunRequest extends RetentionRunKey {
  /** The registry's retention (its GC policy's `retention`); none or no rules: nothing is done. */
  retention?: Retention;
  /** The window's end: no deletion starts after it; what is left stays planned. */
  deadline: Date;
  now: () => Date;
  /** Stops the run between two deletions (an in-flight call is aborted); the rest stays planned. */
  signal?: AbortSignal;
  /** Lists and plans the occurrence (if it has no plan yet), and deletes nothing yet. */
  planOnly?: boolean;
}

/**
 * What retention did in the occurrence, over every runner that worked on it (see
 * `RetentionJournalSummary`); `plannedAt` and `tagsListed` are absent when nothing was planned.
 */
export interface RetentionRunSummary
  extends
    Omit<RetentionJournalSummary, 'plannedAt' | 'tagsListed'>,
    Partial<Pick<RetentionJournalSummary, 'plannedAt' | 'tagsListed'>> {
  /** Why it ended with deletions left planned; absent when every planned deletion was settled. */
  stoppedBy?: 'deadline' | 'aborted' | 'errors';
  /** This call resumed a plan made earlier in the same occurrence (after a restart). */
  resumed: boolean;
  /** Pauses taken because DigitalOcean's rate limit still refused after the client's waits. */
  rateLimitPauses: number;
}

export interface RetentionRunnerOptions {
  pacing?: Partial<RetentionPacing>;
  /** A repository's tags are listed again before a deletion when the listing held is older. */
  listingMaxAgeMs?: number;
  /** Failures in a row (not rate limits) after which the run stops, leaving the rest planned. */
  maxConsecutiveFailures?: number;
  sleep?: Sleep;
}

const EMPTY: Omit<RetentionRunSummary, 'resumed' | 'rateLimitPauses'> = {
  ...noDeletionsYet(),
  estimatedFreedBytes: 0,
};

const sameRules = (a: RetentionRule[], b: RetentionRule[]) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Deletes what a registry's retention rules select, inside a GC window occurrence: lists the
 * registry from DigitalOcean, selects as the preview does (`selectRetention`), journals every
 * intended deletion, then deletes one at a time within the rate budget, each tag only while it
 * still points at the digest selected. Run again for the same occurrence (after a restart), it
 * resumes the plan; a later occurrence plans afresh. The GC that frees the bytes is the caller's
 * next step.
 *
 * `run` throws when the registry cannot be listed (a 404 for the registry included): nothing is
 * planned then. Once planned, DigitalOcean's errors are journaled per deletion, never thrown.
 */
export class RetentionRunner {
  private readonly journal: DeletionJournal;
  private readonly pacing: RetentionPacing;
  /** Every call of every run, of every replica, counts against the account's one budget. */
  private readonly budget: RetentionBudgetStore;

  constructor(
    private readonly deps: {
      client: DigitalOceanClient;
      /** Where each occurrence's plan and deletions are journaled, shared by every replica. */
      journal: DeletionJournal;
      /** The account's call budget, shared by every replica. */
      budget: RetentionBudgetStore;
      logger: LoggerService;
      options?: RetentionRunnerOptions;
      /** Selects on each repository's image graph and reads each tag before its DELETE. */
      imageGraph?: ImageGraphAccess;
      /** The account's images in use, read before each plan: kept, or nothing deleted if unread. */
      inUse?: Pick<ImagesInUseCache, 'forPlan'>;
    },
  ) {
    this.journal = deps.journal;
    this.budget = deps.budget;
    this.pacing = { ...DEFAULT_RETENTION_PACING, ...deps.options?.pacing };
  }

  /** Whether the occurrence has a plan already (deletions resume rather than list first). */
  async planned(key: RetentionRunKey): Promise<boolean> {
    return (await this.journal.plan(key)) !== undefined;
  }

  async run(request: RetentionRunRequest): Promise<RetentionRunSummary> {
    const { registryName, occurrenceKey, account } = request;
    const rules = request.retention?.rules ?? [];
    const where = `${account}/${registryName} in window ${occurrenceKey}`;
    if (!rules.length) return { ...EMPTY, resumed: false, rateLimitPauses: 0 };
    const guard = new RunGuard({
      deadline: request.deadline,
      now: request.now,
      signal: request.signal,
      pacing: this.pacing,
      logger: this.deps.logger,
      sleep: this.deps.options?.sleep,
      budget: { store: this.budget, account },
    });
    try {
      const checker = new TagChecker(this.deps.client, guard, registryName, {
        maxAgeMs: this.deps.options?.listingMaxAgeMs ?? 10_000,
      });
      const existing = await this.journal.plan(request);
      const resumed = existing !== undefined;
      if (existing && !sameRules(existing.rules, rules)) {
        // Never delete by rules nobody holds any more: the next window plans with the new ones.
        const skipped = await this.journal.skipPending(
          request,
          'the retention rules changed after the plan; the next window selects with the new rules',
        );
        this.deps.logger.info(
          `Retention of ${where}: the rules changed since its plan; ${skipped} planned deletions skipped`,
        );
      } else if (resumed) {
        this.deps.logger.info(`Retention of ${where}: resuming its plan`);
      } else {
        const stoppedBy =
          guard.stopReason() ??
          (await this.makePlan(request, guard, checker, where));
        if (stoppedBy) {
          this.deps.logger.info(
            `Retention of ${where}: stopped (${stoppedBy}) before planning`,
          );
          return {
            ...EMPTY,
            stoppedBy,
            resumed,
            rateLimitPauses: guard.rateLimitPauses,
          };
        }
      }
      if (request.planOnly) {
        return {
          ...EMPTY,
          ...(await this.journal.summary(request)),
          resumed,
          rateLimitPauses: guard.rateLimitPauses,
        };
      }
      const stoppedBy = await this.deleteAll(request, guard, checker);
      const summary = await this.journal.summary(request);
      const result: RetentionRunSummary = {
        ...EMPTY,
        ...summary,
        ...(stoppedBy ? { stoppedBy } : {}),
        resumed,
        rateLimitPauses: guard.rateLimitPauses,
      };
      this.deps.logger.info(
        `Retention of ${where} ${stoppedBy ? `stopped (${stoppedBy})` : 'finished'}: ${result.deleted} deleted (${result.deletedTags} tags, ${result.deletedManifests} untagged manifests; by rule ${JSON.stringify(result.deletedByRule)}), ${result.skipped} skipped, ${result.failed} failed, ${result.remaining} left planned; a GC would free about ${result.estimatedFreedBytes} bytes`,
      );
      return result;
    } finally {
      guard.dispose();
    }
  }

  /** Lists, selects and journals; says why it stopped before planning, if it did. */
  private async makePlan(
    request: RetentionRunRequest,
    guard: RunGuard,
    checker: TagChecker,
    where: string,
  ) {
    const rules = request.retention?.rules ?? [];
    const listed = await listRegistryNow(
      this.deps.client,
      guard,
      request.registryName,
    );
    if (listed.stoppedBy) return listed.stoppedBy;
    const repositories = listed.value;
    for (const repository of repositories)
      checker.hold(repository.name, repository.tags);
    const graphs = await readGraphsForPlan(
      this.deps.imageGraph,
      request,
      repositories,
      guard,
      this.deps.logger,
    );
    const inUse =
      this.deps.inUse &&
      (await readRegistryInUse(this.deps.inUse, request, this.deps.logger));
    const stopped = guard.stopReason();
    if (stopped) return stopped;
    const plannedAt = request.now();
    const { deletions, estimatedFreedBytes, tagsListed, untaggedInUse } =
      planDeletions(repositories, rules, plannedAt, graphs, inUse);
    const heldBack = inUse?.heldBack;
    const gcNarrowed = untaggedInUseNarrowsGc(untaggedInUse);
    const made = await this.journal.createPlan(
      request,
      {
        rules,
        tagsListed,
        estimatedFreedBytes,
        plannedAt,
        ...(heldBack ? { heldBack } : {}),
        ...(gcNarrowed ? { gcNarrowed } : {}),
      },
      deletions,
    );
    if (heldBack)
      this.deps.logger.warn(
        `Retention of ${where} deletes nothing: ${heldBack}`,
      );
    const tags = deletions.filter(d => d.tag).length;
    this.deps.logger.info(
      made
        ? `Retention of ${where}: planned ${tags} tag and ${deletions.length - tags} untagged manifest deletions of ${tagsListed} tags listed in ${repositories.length} repositories; a GC would then free about ${estimatedFreedBytes} bytes`
        : `Retention of ${where}: another runner planned it first; following its plan`,
    );
    return undefined;
  }

  /** Works through the planned deletions; says why it stopped with some left, if it did. */
  private async deleteAll(
    request: RetentionRunRequest,
    guard: RunGuard,
    checker: TagChecker,
  ): Promise<RetentionRunSummary['stoppedBy']> {
    const { logger } = this.deps;
    const maxFailures = this.deps.options?.maxConsecutiveFailures ?? 5;
    let failuresInARow = 0;
    for (const entry of await this.journal.pending(request)) {
      const stopped = guard.stopReason();
      if (stopped) return stopped;
      const what = describeEntry(request.registryName, entry);
      const subject = await checkSubject(this.journal, checker, request, entry);
      if ('later' in subject) {
        logger.info(`Retention leaves ${what} planned: ${subject.later}`);
        continue;
      }
      const check =
        subject.value?.verdict === 'delete'
          ? await checker.check(entry)
          : subject;
      if (check.stoppedBy) return check.stoppedBy;
      const verdict = check.value;
      if (!verdict) {
        failuresInARow++;
        logger.warn(
          `Retention could not check ${what} before deleting it: ${toError(check.error).message}; left planned`,
        );
        if (failuresInARow >= maxFailures) return 'errors';
        continue;
      }
      if (verdict.verdict !== 'delete') {
        await this.settleKept(request, entry, verdict, what);
        continue;
      }
      const outcome = await deleteEntry(
        this.deps.client,
        guard,
        request.registryName,
        entry,
        headBeforeDelete(this.deps.imageGraph, request, entry),
      );
      if (outcome.stoppedBy) return outcome.stoppedBy;
      const done = outcome.value;
      if ('verdict' in done) {
        await this.settleKept(request, entry, done.verdict, what);
        continue;
      }
      if ('unchecked' in done || 'error' in done) {
        failuresInARow++;
        if ('error' in done)
          await this.journal.settle(entry.id, {
            status: 'failed',
            error: done.error,
          });
        logger.error(
          'error' in done
            ? `Retention failed to delete ${what}: ${done.error}`
            : `Retention could not check ${what} right before deleting it: ${done.unchecked}; left planned`,
        );
        if (failuresInARow >= maxFailures) return 'errors';
        continue;
      }
      failuresInARow = 0;
      checker.deleted(entry);
      await this.journal.settle(entry.id, {
        status: 'deleted',
        at: request.now(),
        detail: done.detail,
      });
      logger.info(
        `Retention deleted ${what} of account ${request.account} in window ${request.occurrenceKey}: ${entry.reason}${done.detail ? ` (${done.detail})` : ''}`,
      );
    }
    return undefined;
  }

  /** A deletion a check said not to make: gone already (counted as deleted), or kept. */
  private async settleKept(
    request: RetentionRunRequest,
    entry: JournalEntry,
    verdict: Exclude<Verdict, { verdict: 'delete' }>,
    what: string,
  ): Promise<void> {
    if (verdict.verdict === 'gone') {
      await this.journal.settle(entry.id, {
        status: 'deleted',
        at: request.now(),
        detail: verdict.detail,
      });
      this.deps.logger.info(
        `Retention found ${what} already gone (${verdict.detail}); counted as deleted`,
      );
      return;
    }
    await this.journal.settle(entry.id, {
      status: 'skipped',
      detail: verdict.detail,
    });
    this.deps.logger.warn(`Retention kept ${what}: ${verdict.detail}`);
  }
}
