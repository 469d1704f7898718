import { Duration } from 'luxon';
import { z } from 'zod';
import type {
  Retention,
  RetentionInput,
  RetentionRule,
} from './schema/openapi';

/**
 * Rules per registry: enough for every team's repositories; more would be unreadable.
 *
 * @public
 */
export const MAX_RETENTION_RULES = 50;
/**
 * Patterns per list of a rule.
 *
 * @public
 */
export const MAX_RETENTION_PATTERNS = 50;

const GLOB = /^[A-Za-z0-9_.\-/*?]{1,128}$/;

/** Stars per pattern: plenty for `team-*-api-*`, and a bound on the work of matching one name. */
export const MAX_GLOB_STARS = 16;

const globSchema = z
  .string()
  .regex(
    GLOB,
    'A pattern is 1 to 128 letters, digits, "_", ".", "-", "/", "*" or "?"',
  )
  .refine(
    pattern => pattern.split('*').length - 1 <= MAX_GLOB_STARS,
    `A pattern has at most ${MAX_GLOB_STARS} "*"`,
  );

const patternListSchema = (what: string) =>
  z
    .array(globSchema)
    .min(1, `Give at least one ${what} pattern, or leave the field out`)
    .max(
      MAX_RETENTION_PATTERNS,
      `At most ${MAX_RETENTION_PATTERNS} ${what} patterns`,
    );

/**
 * The longest age a rule may give (`deleteOlderThan`, `untaggedManifestsOlderThan`): older than
 * any registry, and far from where a cutoff stops being a valid date.
 */
export const MAX_RETENTION_AGE = 'P10Y';

const maxAgeMs = Duration.fromISO(MAX_RETENTION_AGE).toMillis();

const ageSchema = z.string().superRefine((value, ctx) => {
  const duration = Duration.fromISO(value);
  // No negative part: "P300000Y-3599990M" is short in all but would date nothing.
  const parts = Object.values(duration.toObject());
  const ms =
    duration.isValid && parts.every(part => part >= 0)
      ? duration.toMillis()
      : NaN;
  if (!(ms > 0)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `Must be a positive ISO 8601 duration such as "P30D", got "${value}"`,
    });
  } else if (!(ms <= maxAgeMs)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `Must be at most ${MAX_RETENTION_AGE} (10 years), got "${value}"`,
    });
  }
});

/**
 * The most previous releases of a workload a rule may keep for a rollback.
 *
 * @public
 */
export const MAX_PREVIOUS_RELEASES = 100;

/**
 * Previous releases of each workload kept for a rollback, besides what runs, when no rule
 * applying to a repository says (`keepPreviousReleases`).
 *
 * @public
 */
export const DEFAULT_PREVIOUS_RELEASES = 2;

/**
 * Validates one retention rule (the REST API's `RetentionRule`).
 *
 * @public
 */
export const retentionRuleSchema: z.ZodType<
  RetentionRule,
  z.ZodTypeDef,
  RetentionRule
> = z
  .object({
    /** Repository name globs; every repository of the registry when absent. */
    repositories: patternListSchema('repository').optional(),
    /** The newest unprotected tags of each repository this rule never selects. */
    keepNewest: z
      .number({ invalid_type_error: 'Must be a whole number' })
      .int('Must be a whole number')
      .min(0, 'Must be 0 or more')
      .max(100_000, 'Must be at most 100000')
      .optional(),
    /** ISO 8601 duration: tags pushed longer ago are selected. */
    deleteOlderThan: ageSchema.optional(),
    /** Tag globs this rule protects, e.g. `latest`, `prod-*`, `v*.*.*`. */
    protect: patternListSchema('tag').optional(),
    /** Protects every tag that is a semantic version, with or without a leading `v`. */
    protectSemver: z.boolean().optional(),
    /** ISO 8601 duration: untagged manifests pushed longer ago are selected. */
    untaggedManifestsOlderThan: ageSchema.optional(),
    /** Previous releases of each workload kept besides what runs (default 2). */
    keepPreviousReleases: z
      .number({ invalid_type_error: 'Must be a whole number' })
      .int('Must be a whole number')
      .min(0, 'Must be 0 or more')
      .max(MAX_PREVIOUS_RELEASES, `Must be at most ${MAX_PREVIOUS_RELEASES}`)
      .optional(),
  })
  .strict()
  .refine(
    rule =>
      rule.keepNewest !== undefined ||
      rule.deleteOlderThan !== undefined ||
      rule.protect !== undefined ||
      rule.protectSemver !== undefined ||
      rule.untaggedManifestsOlderThan !== undefined,
    'A rule needs at least one of keepNewest, deleteOlderThan, protect, protectSemver or untaggedManifestsOlderThan',
  );

/**
 * Tag retention: DigitalOcean has none, so the docr backend works out which tags to delete.
 *
 * A registry's retention is a list of rules. Each rule applies to the repositories its
 * `repositories` globs match (every repository when absent) and may:
 *
 * - select tags: a tag is selected by a rule when it is older than the rule's `deleteOlderThan`
 *   (pushed longer ago) AND not among the rule's `keepNewest` newest tags of its repository. A
 *   rule with only one of the two selects by that one alone; a rule with neither selects nothing.
 * - protect tags: a tag matching one of the rule's `protect` globs, or any semantic version
 *   (`1.2.3`, `v1.2.3`, `v2.0.0-rc.1`) when `protectSemver` is true, is protected.
 * - select untagged manifests pushed longer ago than `untaggedManifestsOlderThan`.
 *
 * A tag is deleted only if some rule selects it and no rule protects it: the most eager rule
 * selects, any rule protects. Protected tags never count against anything: they are not among
 * the `keepNewest` newest, so `keepNewest: 10` keeps ten unprotected tags besides the protected
 * ones. No rules: nothing is deleted.
 *
 * Globs: `*` matches any run of characters (a `/` of a repository name included), `?` one
 * character; everything else matches itself, case-sensitively. A pattern has at most 16 `*`.
 *
 * @public
 */
export const retentionSchema: z.ZodType<
  Retention,
  z.ZodTypeDef,
  RetentionInput
> = z
  .object({
    rules: z
      .array(retentionRuleSchema)
      .max(
        MAX_RETENTION_RULES,
        `At most ${MAX_RETENTION_RULES} rules per registry`,
      )
      .default([]),
    /** Clusters (or `App Platform`) whose images in use may go unread without holding deletion back. */
    ignoreUnreadable: z
      .array(
        z
          .string()
          .min(1, 'Name a DOKS cluster or App Platform')
          .max(255, 'A name is at most 255 characters'),
      )
      .max(100, 'At most 100 names')
      .optional(),
  })
  .strict();

const QUESTION_MARK = '?'.charCodeAt(0);

/** Whether `segment` (no `*`; `?` any one character) matches `name` at `at`. */
function segmentAt(segment: string, name: string, at: number): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c !== QUESTION_MARK && c !== name.charCodeAt(at + i)) return false;
  }
  return true;
}

/** The leftmost place at or after `from` where `segment` matches within `name[0, end)`; -1 if none. */
function findSegment(
  segment: string,
  name: string,
  from: number,
  end: number,
): number {
  if (!segment.includes('?')) {
    const found = name.indexOf(segment, from);
    return found >= 0 && found + segment.length <= end ? found : -1;
  }
  for (let at = from; at + segment.length <= end; at++)
    if (segmentAt(segment, name, at)) return at;
  return -1;
}

const MAX_CACHED_GLOBS = 10_000;
const segmentCache = new Map<string, string[]>();

function segmentsOf(pattern: string): string[] {
  let segments = segmentCache.get(pattern);
  if (!segments) {
    if (segmentCache.size >= MAX_CACHED_GLOBS) segmentCache.clear();
    segments = pattern.split('*');
    segmentCache.set(pattern, segments);
  }
  return segments;
}

/**
 * Whether the whole of `name` matches the glob: `*` any run of characters (`/` included), `?`
 * one character, the rest itself, case-sensitively. The text between stars is looked for
 * leftmost, once each, never backtracking: whatever an earlier star could take, a later one can
 * take too. So a match costs at most (name length × pattern length) steps, where a regular
 * expression backtracks through every split (`*a*a*a…*b` against a long tag: exponential time).
 */
export function matchesGlob(pattern: string, name: string): boolean {
  const segments = segmentsOf(pattern);
  if (segments.length === 1)
    return pattern.length === name.length && segmentAt(pattern, name, 0);
  const first = segments[0];
  const last = segments[segments.length - 1];
  const end = name.length - last.length;
  if (first.length > end) return false;
  if (!segmentAt(first, name, 0) || !segmentAt(last, name, end)) return false;
  let at = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const found = findSegment(segments[i], name, at, end);
    if (found < 0) return false;
    at = found + segments[i].length;
  }
  return true;
}

// semver.org's regular expression, with an optional leading "v".
const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Whether the tag is a semantic version (`1.2.3`, `v1.2.3`, `v2.0.0-rc.1+build.5`). */
export function isSemverTag(tag: string): boolean {
  return SEMVER.test(tag);
}

/**
 * Whether the rule applies to the repository.
 *
 * @public
 */
export function ruleAppliesTo(
  rule: RetentionRule,
  repository: string,
): boolean {
  return (
    !rule.repositories ||
    rule.repositories.some(pattern => matchesGlob(pattern, repository))
  );
}
