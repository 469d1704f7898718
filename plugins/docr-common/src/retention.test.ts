import { describeValidationIssues, gcPolicySchema } from './gcPolicy';
import { isSemverTag, matchesGlob, retentionSchema } from './retention';

function problems(input: unknown): string[] {
  const parsed = retentionSchema.safeParse(input);
  return parsed.success
    ? []
    : describeValidationIssues(parsed.error, 'retention');
}

describe('retention rules', () => {
  it('accepts a full rule and defaults to no rules', () => {
    expect(
      problems({
        rules: [
          {
            repositories: ['web', 'team/*'],
            keepNewest: 10,
            deleteOlderThan: 'P30D',
            protect: ['latest', 'prod-*', 'v*.*.*'],
            protectSemver: true,
            untaggedManifestsOlderThan: 'P7D',
          },
        ],
      }),
    ).toEqual([]);
    expect(retentionSchema.parse({})).toEqual({ rules: [] });
  });

  it('keeps previous releases per rule and names the clusters that may go unread, within bounds', () => {
    expect(
      problems({
        rules: [{ keepNewest: 5, keepPreviousReleases: 3 }],
        ignoreUnreadable: ['staging-fra1', 'App Platform'],
      }),
    ).toEqual([]);
    expect(
      problems({
        rules: [
          { keepNewest: 5, keepPreviousReleases: -1 },
          { keepNewest: 5, keepPreviousReleases: 101 },
        ],
        ignoreUnreadable: [''],
      }),
    ).toEqual([
      'retention.rules.0.keepPreviousReleases: Must be 0 or more',
      'retention.rules.1.keepPreviousReleases: Must be at most 100',
      'retention.ignoreUnreadable.0: Name a DOKS cluster or App Platform',
    ]);
  });

  it('names the field of each problem', () => {
    expect(
      problems({
        rules: [
          { keepNewest: -1 },
          { keepNewest: 2.5, deleteOlderThan: '30 days' },
          { protect: [] },
          { repositories: ['web app'], keepNewest: 3 },
          {},
          { keepNewest: 1, keepLatest: 3 },
        ],
      }),
    ).toEqual([
      'retention.rules.0.keepNewest: Must be 0 or more',
      'retention.rules.1.keepNewest: Must be a whole number',
      'retention.rules.1.deleteOlderThan: Must be a positive ISO 8601 duration such as "P30D", got "30 days"',
      'retention.rules.2.protect: Give at least one tag pattern, or leave the field out',
      'retention.rules.3.repositories.0: A pattern is 1 to 128 letters, digits, "_", ".", "-", "/", "*" or "?"',
      'retention.rules.4: A rule needs at least one of keepNewest, deleteOlderThan, protect, protectSemver or untaggedManifestsOlderThan',
      "retention.rules.5: Unrecognized key(s) in object: 'keepLatest'",
    ]);
    expect(
      problems({ rules: [{ untaggedManifestsOlderThan: 'PT0S' }] }),
    ).toEqual([
      'retention.rules.0.untaggedManifestsOlderThan: Must be a positive ISO 8601 duration such as "P30D", got "PT0S"',
    ]);
  });

  it('bounds ages to positive durations of at most ten years, naming the field', () => {
    expect(
      problems({
        rules: [
          { deleteOlderThan: 'P10Y', untaggedManifestsOlderThan: 'P3650D' },
          { deleteOlderThan: 'P120M', untaggedManifestsOlderThan: 'PT1S' },
        ],
      }),
    ).toEqual([]);
    expect(
      problems({
        rules: [
          { deleteOlderThan: 'P300000Y' },
          { untaggedManifestsOlderThan: 'P10Y1D' },
          { deleteOlderThan: 'P1Y-11M' },
          { deleteOlderThan: 'P99999999999999999999999Y' },
        ],
      }),
    ).toEqual([
      'retention.rules.0.deleteOlderThan: Must be at most P10Y (10 years), got "P300000Y"',
      'retention.rules.1.untaggedManifestsOlderThan: Must be at most P10Y (10 years), got "P10Y1D"',
      'retention.rules.2.deleteOlderThan: Must be a positive ISO 8601 duration such as "P30D", got "P1Y-11M"',
      'retention.rules.3.deleteOlderThan: Must be a positive ISO 8601 duration such as "P30D", got "P99999999999999999999999Y"',
    ]);
  });

  it('is part of the GC policy, optional', () => {
    expect(gcPolicySchema.parse({}).retention).toBeUndefined();
    const parsed = gcPolicySchema.safeParse({
      retention: { rules: [{ keepNewest: 'ten' }] },
    });
    expect(parsed.success).toBe(false);
    expect(describeValidationIssues((parsed as any).error)).toEqual([
      'retention.rules.0.keepNewest: Must be a whole number',
    ]);
  });

  it('matches globs on the whole name', () => {
    expect(matchesGlob('prod-*', 'prod-eu')).toBe(true);
    expect(matchesGlob('prod-*', 'preprod-eu')).toBe(false);
    expect(matchesGlob('v*.*.*', 'v1.2.3')).toBe(true);
    expect(matchesGlob('v*.*.*', 'v1x2.3')).toBe(false);
    expect(matchesGlob('team/*', 'team/app/worker')).toBe(true);
    expect(matchesGlob('sha-????', 'sha-12ab')).toBe(true);
    expect(matchesGlob('sha-????', 'sha-12abc')).toBe(false);
    expect(matchesGlob('Latest', 'latest')).toBe(false);
  });

  it('matches as a regular expression would, without backtracking', () => {
    const regexOf = (pattern: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.\-/]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      );
    // Every pattern of up to 4 of these against every name of up to 5 of a, b and /.
    const words = (alphabet: string[], max: number): string[] =>
      max === 0
        ? ['']
        : [
            '',
            ...alphabet.flatMap(c => words(alphabet, max - 1).map(w => c + w)),
          ];
    const names = [...new Set(words(['a', 'b', '/'], 5))];
    const patterns = [...new Set(words(['a', 'b', '*', '?', '/'], 4))].filter(
      p => p,
    );
    const mismatches = patterns.flatMap(pattern => {
      const regex = regexOf(pattern);
      return names
        .filter(name => matchesGlob(pattern, name) !== regex.test(name))
        .map(name => `${pattern} on ${name}`);
    });
    expect(mismatches).toEqual([]);
  });

  it('answers at once for a pattern that makes a regular expression backtrack exponentially', () => {
    const pathological = `${'*a'.repeat(63)}*b`; // 128 characters, 64 stars
    expect(pathological).toHaveLength(128);
    expect(matchesGlob(pathological, 'a'.repeat(128))).toBe(false);
    expect(matchesGlob(pathological, `${'a'.repeat(62)}b`)).toBe(false);
    expect(matchesGlob(pathological, `${'a'.repeat(127)}b`)).toBe(true);
    expect(matchesGlob(pathological, `${'xa'.repeat(63)}b`)).toBe(true);
    expect(matchesGlob('*', '')).toBe(true);
    expect(matchesGlob('?', '')).toBe(false);
  });

  it('allows at most 16 stars per pattern, naming the field', () => {
    expect(
      problems({ rules: [{ protect: ['*a'.repeat(16)], keepNewest: 1 }] }),
    ).toEqual([]);
    expect(
      problems({
        rules: [
          { repositories: ['*a'.repeat(17)], keepNewest: 1 },
          { protect: ['latest', `${'*a'.repeat(63)}*b`] },
        ],
      }),
    ).toEqual([
      'retention.rules.0.repositories.0: A pattern has at most 16 "*"',
      'retention.rules.1.protect.1: A pattern has at most 16 "*"',
    ]);
  });

  it('knows semantic versions, with or without v', () => {
    for (const tag of ['1.2.3', 'v1.2.3', 'v2.0.0-rc.1', '1.0.0+build.5'])
      expect(isSemverTag(tag)).toBe(true);
    for (const tag of ['v1.2', 'latest', 'v01.2.3', 'sha-1.2.3', '1.2.3.4'])
      expect(isSemverTag(tag)).toBe(false);
  });
});
