import type { RetentionRule } from '@backstage-docr/plugin-docr-common';

/** One registry's retention in one window occurrence, of one account. */
export interface RetentionRunKey {
  account: string;
  registryName: string;
  occurrenceKey: string;
}

export type DeletionStatus = 'planned' | 'deleted' | 'skipped' | 'failed';

/** A tag (or, without `tag`, an untagged manifest) the rules selected. */
export interface PlannedDeletion {
  repository: string;
  tag?: string;
  digest: string;
  /** Index of the first rule selecting it. */
  rule: number;
  reason: string;
  compressedSizeBytes: number;
  /**
   * For an attachment (a signature, attestation or SBOM tag, an untagged referrer): the digest
   * of the tagged manifest it is deleted with. It is deleted only once that one is.
   */
  subjectDigest?: string;
}

/** What became of an attachment's subject in the occurrence: `deleted` when every entry of it was. */
export type SubjectOutcome = 'deleted' | 'planned' | 'kept';

export interface JournalEntry extends PlannedDeletion {
  id: number;
  status: DeletionStatus;
}

export interface RetentionPlan {
  rules: RetentionRule[];
  tagsListed: number;
  estimatedFreedBytes: number;
  plannedAt: Date;
  /** Why nothing of the registry is deleted in the occurrence (what runs could not be read). */
  heldBack?: string;
  /** Why the occurrence's GC deletes no manifest (untagged manifests in use). */
  gcNarrowed?: string;
}

/**
 * What retention did in one window occurrence, over every runner that worked on it: the run
 * history shows it (tags deleted by rule) and the GC that follows is judged by it.
 */
export interface RetentionJournalSummary {
  /** Tags and untagged manifests deleted (or found already gone after being selected). */
  deleted: number;
  deletedTags: number;
  deletedManifests: number;
  /** Deleted tags and manifests by the index of the first rule selecting them. */
  deletedByRule: Record<string, number>;
  /** Re-pushed or tagged again since they were selected: kept. */
  skipped: number;
  failed: number;
  /** Still planned: the window ended or the run was stopped first. */
  remaining: number;
  /** What a GC would free after every selected deletion, from the listing before deletion. */
  estimatedFreedBytes: number;
  tagsListed: number;
  plannedAt: Date;
  /** Why nothing of the registry was deleted (what runs from it could not be read). */
  heldBack?: string;
  /** Why the GC deletes no manifest (untagged manifests in use). */
  gcNarrowed?: string;
}

/** A summary's counts before anything settled. */
export const noDeletionsYet = () => ({
  deleted: 0,
  deletedTags: 0,
  deletedManifests: 0,
  deletedByRule: {} as Record<string, number>,
  skipped: 0,
  failed: 0,
  remaining: 0,
});

/** How a planned entry settled. */
export type DeletionOutcome =
  | { status: 'deleted'; at: Date; detail?: string }
  | { status: 'skipped'; detail: string }
  | { status: 'failed'; error: string };

/**
 * The retention journal: a plan per window occurrence and every deletion it intends, written
 * before DigitalOcean is asked, then marked with what happened. Updates are compare-and-set on
 * `planned`, so an entry settles once. Shared by every account (the key names the account) and
 * every replica.
 */
export interface DeletionJournal {
  plan(key: RetentionRunKey): Promise<RetentionPlan | undefined>;
  /**
   * Writes the plan and its deletions at once. False when the occurrence already has a plan
   * (another runner made it first): that one stands, nothing is planned twice.
   */
  createPlan(
    key: RetentionRunKey,
    plan: RetentionPlan,
    deletions: PlannedDeletion[],
  ): Promise<boolean>;
  /**
   * The deletions still planned, in the order they may go, oldest first: by repository, tags,
   * then untagged manifests, then the attachment tags of those manifests (cosign's tags of an
   * image whose tag was pushed again), which wait for their subject's deletion to be settled.
   */
  pending(key: RetentionRunKey): Promise<JournalEntry[]>;
  /**
   * What became of the deletions of a subject (the entries of its digest that follow no subject
   * themselves): `deleted` when there is one and every one is deleted, `planned` while one is
   * still planned, else `kept` (skipped, failed, or never planned).
   */
  subjectOutcome(
    key: RetentionRunKey,
    repository: string,
    digest: string,
  ): Promise<SubjectOutcome>;
  /** Skips every deletion still planned in the occurrence, saying why; returns how many. */
  skipPending(key: RetentionRunKey, detail: string): Promise<number>;
  /** Settles a planned entry; false when it was settled already (by another runner). */
  settle(id: number, outcome: DeletionOutcome): Promise<boolean>;
  /**
   * What retention did in a window occurrence (for the run history: tags deleted by rule), or
   * undefined when it planned nothing there (no rules, or it never got to list).
   */
  summary(key: RetentionRunKey): Promise<RetentionJournalSummary | undefined>;
  /** Deletes an account's plans and deletions made before `before` (they go with their runs). */
  prune(account: string, before: Date): Promise<void>;
}
