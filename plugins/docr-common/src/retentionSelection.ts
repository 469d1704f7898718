import { DateTime, Duration } from 'luxon';
import { isSemverTag, matchesGlob, ruleAppliesTo } from './retention';
import type { RetentionReason, RetentionRule } from './schema/openapi';

/**
 * A tag as retention sees it.
 *
 * @public
 */
export interface RetentionTag {
  repository: string;
  tag: string;
  /** When the tag was last pushed; undefined or an invalid date: unknown, and the tag is kept. */
  updatedAt: Date | undefined;
}

/**
 * What retention does with one tag. `delete`: the rules that select it. `keep`: the rules that
 * protect it, or else why no rule selects it.
 *
 * @public
 */
export interface TagDecision<T extends RetentionTag = RetentionTag> {
  tag: T;
  action: 'delete' | 'keep';
  reasons: RetentionReason[];
}

/** The pattern of the rule that protects the tag (`semver` for the shorthand), if any. */
function protectingPattern(
  rule: RetentionRule,
  tag: string,
): string | undefined {
  const pattern = rule.protect?.find(p => matchesGlob(p, tag));
  if (pattern) return pattern;
  return rule.protectSemver && isSemverTag(tag) ? 'semver' : undefined;
}

const selects = (rule: RetentionRule) =>
  rule.keepNewest !== undefined || rule.deleteOlderThan !== undefined;

/**
 * Whether the push time is a real instant. Retention never dates what it cannot: an unknown
 * time would otherwise read as 1970, the oldest of all, and be deleted first.
 *
 * @public
 */
export function isKnownPushTime(at: Date | undefined): at is Date {
  return at !== undefined && !Number.isNaN(at.getTime());
}

/** The instant `age` before `now`; NaN when it is no valid instant (then it selects nothing). */
function cutoff(now: Date, age: string): number {
  const at = DateTime.fromJSDate(now, { zone: 'utc' }).minus(
    Duration.fromISO(age),
  );
  return at.isValid ? at.toMillis() : NaN;
}

/** Whether a push at `at` is older than the cutoff; never for a NaN cutoff. */
const olderThan = (at: Date, cutoffMs: number) => at.getTime() < cutoffMs;

type DatedTag = RetentionTag & { updatedAt: Date };

/** Newest first; tags pushed at the same instant by name, so the outcome never depends on order. */
function newestFirst(a: DatedTag, b: DatedTag): number {
  return (
    b.updatedAt.getTime() - a.updatedAt.getTime() || a.tag.localeCompare(b.tag)
  );
}

interface ApplicableRule {
  rule: RetentionRule;
  index: number;
}

/** The reasons the applicable rules protect the tag; empty when none does. */
function protectionOf(
  applicable: ApplicableRule[],
  tag: string,
): RetentionReason[] {
  return applicable.flatMap(({ rule, index }) => {
    const pattern = protectingPattern(rule, tag);
    return pattern
      ? [{ kind: 'protected' as const, rule: index, pattern }]
      : [];
  });
}

/**
 * Per selecting rule, whether it selects or spares a dated, unprotected tag; `rank` is how many
 * unprotected tags newer than it the rule has passed.
 */
function ruleVerdict(
  { rule, index }: ApplicableRule,
  rank: number,
  pushedAt: Date,
  cutoffMs: number | undefined,
): { selects: boolean; reason: RetentionReason } {
  if (rule.keepNewest !== undefined && rank < rule.keepNewest)
    return {
      selects: false,
      reason: { kind: 'newest', rule: index, keepNewest: rule.keepNewest },
    };
  if (
    rule.deleteOlderThan !== undefined &&
    !olderThan(pushedAt, cutoffMs ?? NaN)
  )
    return {
      selects: false,
      reason: {
        kind: 'younger',
        rule: index,
        deleteOlderThan: rule.deleteOlderThan,
      },
    };
  return {
    selects: true,
    reason: {
      kind: 'selected',
      rule: index,
      deleteOlderThan: rule.deleteOlderThan,
      keepNewest: rule.keepNewest,
    },
  };
}

/**
 * The decisions for the tags of one repository: dated ones newest first, then those of unknown
 * push time (kept, by name), which take no rule's keepNewest place.
 */
function decideRepository<T extends RetentionTag>(
  tags: T[],
  rules: RetentionRule[],
  now: Date,
): TagDecision<T>[] {
  const applicable = rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => ruleAppliesTo(rule, tags[0].repository));
  const selecting = applicable.filter(a => selects(a.rule));
  const cutoffs = new Map(
    selecting.map(({ rule, index }) => [
      index,
      rule.deleteOlderThan === undefined
        ? undefined
        : cutoff(now, rule.deleteOlderThan),
    ]),
  );
  const dated = tags.filter(t => isKnownPushTime(t.updatedAt)) as Array<
    T & DatedTag
  >;
  const undated = tags
    .filter(t => !isKnownPushTime(t.updatedAt))
    .sort((a, b) => a.tag.localeCompare(b.tag));
  // Per rule, how many unprotected tags it has passed so far (its newest are the first ones).
  const unprotectedSeen = new Map<number, number>();
  const decide = (tag: T): TagDecision<T> => {
    const protecting = protectionOf(applicable, tag.tag);
    if (protecting.length) return { tag, action: 'keep', reasons: protecting };
    if (!selecting.length)
      return { tag, action: 'keep', reasons: [{ kind: 'noRule' }] };
    const pushedAt = tag.updatedAt;
    if (!isKnownPushTime(pushedAt))
      return { tag, action: 'keep', reasons: [{ kind: 'pushTimeUnknown' }] };
    const verdicts = selecting.map(a => {
      const rank = unprotectedSeen.get(a.index) ?? 0;
      unprotectedSeen.set(a.index, rank + 1);
      return ruleVerdict(a, rank, pushedAt, cutoffs.get(a.index));
    });
    const selectedBy = verdicts.filter(v => v.selects);
    return selectedBy.length
      ? { tag, action: 'delete', reasons: selectedBy.map(v => v.reason) }
      : { tag, action: 'keep', reasons: verdicts.map(v => v.reason) };
  };
  return [...dated.sort(newestFirst), ...undated].map(decide);
}

/**
 * Which tags the retention rules delete and which they keep, and why (see `retentionSchema` for
 * the semantics). Tags are grouped by repository; within one, decisions are newest first.
 *
 * @public
 */
export function selectTagsForDeletion<T extends RetentionTag>(
  tags: T[],
  rules: RetentionRule[],
  now: Date,
): TagDecision<T>[] {
  const byRepository = new Map<string, T[]>();
  for (const tag of tags) {
    const list = byRepository.get(tag.repository) ?? [];
    list.push(tag);
    byRepository.set(tag.repository, list);
  }
  return [...byRepository.values()].flatMap(list =>
    decideRepository(list, rules, now),
  );
}

/**
 * An untagged manifest as retention sees it.
 *
 * @public
 */
export interface RetentionManifest {
  repository: string;
  digest: string;
  /** When the manifest was last pushed; undefined or an invalid date: unknown, and it is kept. */
  updatedAt: Date | undefined;
}

/**
 * The untagged manifests some applicable rule's `untaggedManifestsOlderThan` selects, with the
 * index of the first such rule.
 *
 * @public
 */
export function selectUntaggedManifestsForDeletion<T extends RetentionManifest>(
  manifests: T[],
  rules: RetentionRule[],
  now: Date,
): Array<{ manifest: T; rule: number }> {
  return manifests.flatMap(manifest => {
    const pushedAt = manifest.updatedAt;
    if (!isKnownPushTime(pushedAt)) return [];
    const rule = rules.findIndex(
      r =>
        r.untaggedManifestsOlderThan !== undefined &&
        ruleAppliesTo(r, manifest.repository) &&
        olderThan(pushedAt, cutoff(now, r.untaggedManifestsOlderThan)),
    );
    return rule < 0 ? [] : [{ manifest, rule }];
  });
}

/**
 * The untagged manifests some applicable rule's `untaggedManifestsOlderThan` would date, kept
 * because their push time is unknown (the preview shows them with `UNKNOWN_PUSH_TIME_REASON`).
 *
 * @public
 */
export function untaggedManifestsOfUnknownPushTime<T extends RetentionManifest>(
  manifests: T[],
  rules: RetentionRule[],
): T[] {
  return manifests.filter(
    manifest =>
      !isKnownPushTime(manifest.updatedAt) &&
      rules.some(
        r =>
          r.untaggedManifestsOlderThan !== undefined &&
          ruleAppliesTo(r, manifest.repository),
      ),
  );
}

/**
 * Why retention keeps what it cannot date, for people.
 *
 * @public
 */
export const UNKNOWN_PUSH_TIME_REASON = 'push time unknown: kept';

/**
 * One line saying a reason, for people; rules are numbered from 1, as pages show them (the
 * reason's `rule` is the index in the policy's `rules`).
 *
 * @public
 */
export function describeRetentionReason(reason: RetentionReason): string {
  switch (reason.kind) {
    case 'protected':
      return reason.pattern === 'semver'
        ? `rule ${reason.rule + 1} protects semantic versions`
        : `rule ${reason.rule + 1} protects "${reason.pattern}"`;
    case 'newest':
      return `among the ${reason.keepNewest} newest of rule ${reason.rule + 1}`;
    case 'younger':
      return `younger than ${reason.deleteOlderThan} (rule ${reason.rule + 1})`;
    case 'selected': {
      const parts = [
        reason.deleteOlderThan && `older than ${reason.deleteOlderThan}`,
        reason.keepNewest !== undefined &&
          `not among the ${reason.keepNewest} newest`,
      ].filter(Boolean);
      return `rule ${reason.rule + 1}: ${parts.join(' and ')}`;
    }
    case 'pushTimeUnknown':
      return UNKNOWN_PUSH_TIME_REASON;
    case 'attachment': {
      const subject = reason.subjectTag ?? reason.subjectDigest;
      return reason.follows === 'kept'
        ? `attached to ${subject}, which is kept`
        : `attached to ${subject}, deleted with it`;
    }
    case 'unknownType':
      return `type unknown, kept: ${reason.reason}`;
    case 'unreadable':
      return `could not be read, kept: ${reason.reason}`;
    case 'inUse':
      return reason.where;
    default:
      return 'no rule selects tags of this repository';
  }
}
