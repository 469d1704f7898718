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
  /** When the tag was last pushed. */
  updatedAt: Date;
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

function cutoff(now: Date, age: string): number {
  return DateTime.fromJSDate(now, { zone: 'utc' })
    .minus(Duration.fromISO(age))
    .toMillis();
}

/** Newest first; tags pushed at the same instant by name, so the outcome never depends on order. */
function newestFirst(a: RetentionTag, b: RetentionTag): number {
  return (
    b.updatedAt.getTime() - a.updatedAt.getTime() || a.tag.localeCompare(b.tag)
  );
}

/** The decisions for the tags of one repository, newest first. */
function decideRepository<T extends RetentionTag>(
  tags: T[],
  rules: RetentionRule[],
  now: Date,
): TagDecision<T>[] {
  const applicable = rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => ruleAppliesTo(rule, tags[0].repository));
  const cutoffs = new Map(
    applicable.map(({ rule, index }) => [
      index,
      rule.deleteOlderThan === undefined
        ? undefined
        : cutoff(now, rule.deleteOlderThan),
    ]),
  );
  const decisions: TagDecision<T>[] = [];
  // Per rule, how many unprotected tags it has passed so far (its newest are the first ones).
  const unprotectedSeen = new Map<number, number>();
  for (const tag of [...tags].sort(newestFirst)) {
    const protecting = applicable.flatMap(({ rule, index }) => {
      const pattern = protectingPattern(rule, tag.tag);
      return pattern
        ? [{ kind: 'protected' as const, rule: index, pattern }]
        : [];
    });
    if (protecting.length) {
      decisions.push({ tag, action: 'keep', reasons: protecting });
      continue;
    }
    const selecting: RetentionReason[] = [];
    const sparing: RetentionReason[] = [];
    for (const { rule, index } of applicable.filter(a => selects(a.rule))) {
      const rank = unprotectedSeen.get(index) ?? 0;
      unprotectedSeen.set(index, rank + 1);
      if (rule.keepNewest !== undefined && rank < rule.keepNewest) {
        sparing.push({
          kind: 'newest',
          rule: index,
          keepNewest: rule.keepNewest,
        });
      } else if (
        rule.deleteOlderThan !== undefined &&
        tag.updatedAt.getTime() >= cutoffs.get(index)!
      ) {
        sparing.push({
          kind: 'younger',
          rule: index,
          deleteOlderThan: rule.deleteOlderThan,
        });
      } else {
        selecting.push({
          kind: 'selected',
          rule: index,
          deleteOlderThan: rule.deleteOlderThan,
          keepNewest: rule.keepNewest,
        });
      }
    }
    if (selecting.length) {
      decisions.push({ tag, action: 'delete', reasons: selecting });
    } else {
      decisions.push({
        tag,
        action: 'keep',
        reasons: sparing.length ? sparing : [{ kind: 'noRule' }],
      });
    }
  }
  return decisions;
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
  /** When the manifest was last pushed. */
  updatedAt: Date;
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
    const rule = rules.findIndex(
      r =>
        r.untaggedManifestsOlderThan !== undefined &&
        ruleAppliesTo(r, manifest.repository) &&
        manifest.updatedAt.getTime() <
          cutoff(now, r.untaggedManifestsOlderThan),
    );
    return rule < 0 ? [] : [{ manifest, rule }];
  });
}

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
    default:
      return 'no rule selects tags of this repository';
  }
}
