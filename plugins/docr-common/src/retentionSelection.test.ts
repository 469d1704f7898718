import type { RetentionRule } from './schema/openapi';
import {
  RetentionTag,
  TagDecision,
  describeRetentionReason,
  selectTagsForDeletion,
  selectUntaggedManifestsForDeletion,
  untaggedManifestsOfUnknownPushTime,
} from './retentionSelection';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;

/** A tag pushed `days` days before NOW. */
const tag = (repository: string, name: string, days: number): RetentionTag => ({
  repository,
  tag: name,
  updatedAt: new Date(NOW.getTime() - days * DAY),
});

/** Ten commit tags of `repository`, c0 pushed today … c9 nine days ago. */
const commits = (repository = 'web') =>
  Array.from({ length: 10 }, (_, i) => tag(repository, `c${i}`, i));

function decide(tags: RetentionTag[], rules: RetentionRule[]) {
  return selectTagsForDeletion(tags, rules, NOW);
}

const deleted = (decisions: TagDecision[]) =>
  decisions.filter(d => d.action === 'delete').map(d => d.tag.tag);

describe('selectTagsForDeletion', () => {
  it('deletes nothing without rules', () => {
    const decisions = decide(commits(), []);
    expect(deleted(decisions)).toEqual([]);
    expect(decisions[0].reasons).toEqual([{ kind: 'noRule' }]);
  });

  it('keeps the keepNewest newest tags of the repository and deletes the rest', () => {
    const decisions = decide(commits(), [{ keepNewest: 3 }]);
    expect(deleted(decisions)).toEqual([
      'c3',
      'c4',
      'c5',
      'c6',
      'c7',
      'c8',
      'c9',
    ]);
    expect(decisions[2]).toEqual({
      tag: expect.objectContaining({ tag: 'c2' }),
      action: 'keep',
      reasons: [{ kind: 'newest', rule: 0, keepNewest: 3 }],
    });
    expect(decisions[3].reasons).toEqual([
      { kind: 'selected', rule: 0, keepNewest: 3, deleteOlderThan: undefined },
    ]);
  });

  it('orders by push time, not by input order; ties by name', () => {
    const shuffled = [...commits()].reverse();
    shuffled.push(tag('web', 'b-same-time', 1));
    expect(deleted(decide(shuffled, [{ keepNewest: 2 }]))).toEqual([
      'c1',
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
      'c7',
      'c8',
      'c9',
    ]);
  });

  it('deletes tags older than deleteOlderThan; at exactly the age a tag is kept', () => {
    const decisions = decide(commits(), [{ deleteOlderThan: 'P5D' }]);
    expect(deleted(decisions)).toEqual(['c6', 'c7', 'c8', 'c9']);
    expect(decisions[5].reasons).toEqual([
      { kind: 'younger', rule: 0, deleteOlderThan: 'P5D' },
    ]);
  });

  it('with keepNewest and deleteOlderThan deletes only tags both old and not among the newest', () => {
    expect(
      deleted(decide(commits(), [{ keepNewest: 7, deleteOlderThan: 'P2D' }])),
    ).toEqual(['c7', 'c8', 'c9']);
    expect(
      deleted(decide(commits(), [{ keepNewest: 2, deleteOlderThan: 'P7D' }])),
    ).toEqual(['c8', 'c9']);
  });

  it('never deletes protected tags, and protected tags do not count among the newest', () => {
    const tags = [
      tag('web', 'latest', 8),
      tag('web', 'prod-eu', 9),
      tag('web', 'v1.2.0', 0),
      ...commits(),
    ];
    const decisions = decide(tags, [
      { keepNewest: 2, protect: ['latest', 'prod-*', 'v*.*.*'] },
    ]);
    expect(deleted(decisions)).toEqual([
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
      'c7',
      'c8',
      'c9',
    ]);
    expect(decisions.find(d => d.tag.tag === 'prod-eu')!.reasons).toEqual([
      { kind: 'protected', rule: 0, pattern: 'prod-*' },
    ]);
  });

  it('protects semantic versions with protectSemver, and a protect rule guards tags another rule selects', () => {
    const tags = [
      tag('web', 'v1.0.0', 30),
      tag('web', '2.1.0-rc.1', 30),
      tag('web', 'v1.0', 30),
      tag('web', 'nightly', 30),
    ];
    const decisions = decide(tags, [
      { deleteOlderThan: 'P7D' },
      { protectSemver: true },
    ]);
    expect(deleted(decisions)).toEqual(['nightly', 'v1.0']);
    expect(decisions.find(d => d.tag.tag === 'v1.0.0')!.reasons).toEqual([
      { kind: 'protected', rule: 1, pattern: 'semver' },
    ]);
  });

  it('applies a rule only to the repositories its globs match', () => {
    const tags = [
      ...commits('web'),
      ...commits('team/worker'),
      ...commits('api'),
    ];
    const decisions = decide(tags, [
      { repositories: ['web', 'team/*'], keepNewest: 8 },
      { repositories: ['team/*'], protect: ['c9'] },
    ]);
    const deletedIn = (repository: string) =>
      deleted(decisions.filter(d => d.tag.repository === repository));
    expect(deletedIn('web')).toEqual(['c8', 'c9']);
    expect(deletedIn('team/worker')).toEqual(['c8']);
    expect(deletedIn('api')).toEqual([]);
    expect(decisions.find(d => d.tag.repository === 'api')!.reasons).toEqual([
      { kind: 'noRule' },
    ]);
  });

  it('deletes a tag two rules match when either selects it, naming every rule that does', () => {
    const decisions = decide(commits(), [
      { keepNewest: 8 },
      { deleteOlderThan: 'P3D', keepNewest: 1 },
      { deleteOlderThan: 'P30D' },
    ]);
    expect(deleted(decisions)).toEqual(['c4', 'c5', 'c6', 'c7', 'c8', 'c9']);
    const c9 = decisions.find(d => d.tag.tag === 'c9')!;
    expect(c9.reasons.map(r => (r as { rule: number }).rule)).toEqual([0, 1]);
    const c2 = decisions.find(d => d.tag.tag === 'c2')!;
    expect(c2.action).toBe('keep');
    expect(c2.reasons.map(describeRetentionReason)).toEqual([
      'among the 8 newest of rule 1',
      'younger than P3D (rule 2)',
      'younger than P30D (rule 3)',
    ]);
    expect(describeRetentionReason(c9.reasons[1])).toBe(
      'rule 2: older than P3D and not among the 1 newest',
    );
  });

  it('selects untagged manifests older than untaggedManifestsOlderThan of a rule for their repository', () => {
    const manifest = (repository: string, digest: string, days: number) => ({
      repository,
      digest,
      updatedAt: new Date(NOW.getTime() - days * DAY),
    });
    const selected = selectUntaggedManifestsForDeletion(
      [
        manifest('web', 'sha256:old', 10),
        manifest('web', 'sha256:new', 1),
        manifest('api', 'sha256:old-api', 10),
      ],
      [
        { keepNewest: 5 },
        { repositories: ['web'], untaggedManifestsOlderThan: 'P7D' },
      ],
      NOW,
    );
    expect(selected).toEqual([
      { manifest: expect.objectContaining({ digest: 'sha256:old' }), rule: 1 },
    ]);
  });

  it('keeps a tag of unknown push time, saying so, and gives it no keepNewest place', () => {
    const tags = [
      ...commits(),
      { repository: 'web', tag: 'no-time', updatedAt: undefined },
      { repository: 'web', tag: 'bad-time', updatedAt: new Date('garbage') },
    ];
    const decisions = decide(tags, [{ keepNewest: 2 }]);
    expect(deleted(decisions)).toEqual([
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
      'c7',
      'c8',
      'c9',
    ]);
    const undated = decisions.slice(-2);
    expect(undated.map(d => [d.tag.tag, d.action, d.reasons])).toEqual([
      ['bad-time', 'keep', [{ kind: 'pushTimeUnknown' }]],
      ['no-time', 'keep', [{ kind: 'pushTimeUnknown' }]],
    ]);
    expect(describeRetentionReason(undated[0].reasons[0])).toBe(
      'push time unknown: kept',
    );
  });

  it('selects nothing by age when the cutoff is no valid date', () => {
    expect(
      deleted(decide(commits(), [{ deleteOlderThan: 'P300000Y' }])),
    ).toEqual([]);
    const decisions = decide(commits(), [
      { keepNewest: 2, deleteOlderThan: 'P300000Y' },
    ]);
    expect(deleted(decisions)).toEqual([]);
    expect(decisions[9].reasons).toEqual([
      { kind: 'younger', rule: 0, deleteOlderThan: 'P300000Y' },
    ]);
  });

  it('keeps untagged manifests of unknown push time and lists them apart', () => {
    const manifests = [
      { repository: 'web', digest: 'sha256:none', updatedAt: undefined },
      { repository: 'web', digest: 'sha256:bad', updatedAt: new Date(NaN) },
      { repository: 'api', digest: 'sha256:no-rule', updatedAt: undefined },
    ];
    const rules: RetentionRule[] = [
      { repositories: ['web'], untaggedManifestsOlderThan: 'P1D' },
      { untaggedManifestsOlderThan: 'P300000Y' },
    ];
    const old = {
      repository: 'api',
      digest: 'sha256:old',
      updatedAt: new Date(NOW.getTime() - 10 * DAY),
    };
    expect(
      selectUntaggedManifestsForDeletion([...manifests, old], rules, NOW),
    ).toEqual([]);
    expect(
      untaggedManifestsOfUnknownPushTime(manifests, rules.slice(0, 1)).map(
        m => m.digest,
      ),
    ).toEqual(['sha256:none', 'sha256:bad']);
  });
});
