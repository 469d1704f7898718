import type { GcRun } from '../database/DocrStore';
import type { RetentionJournalSummary } from '../retention/DeletionJournal';
import {
  entityPagePath,
  gcProblemEvent,
  registryGoneEvent,
  retentionReportEvent,
  storageEvent,
} from './events';

const GIB = 1024 ** 3;

const run = (overrides: Partial<GcRun>): GcRun => ({
  id: 42,
  registryName: 'acme-prod',
  trigger: 'window',
  status: 'succeeded',
  statuses: [],
  createdAt: new Date(0),
  ...overrides,
});

describe('notification events', () => {
  it('tells a cancelled and a skipped run apart, each with its reason, at a severity that fits', () => {
    const cancelled = gcProblemEvent(
      'default',
      run({ status: 'cancelled', reason: 'Cancelled at window end' }),
    )!;
    expect(cancelled).toMatchObject({
      key: 'gc-cancelled:42',
      severity: 'normal',
      title: 'Garbage collection of acme-prod was cancelled',
    });
    expect(cancelled.description).toContain(': Cancelled at window end.');
    const skipped = gcProblemEvent(
      'default',
      run({
        status: 'skipped',
        trigger: 'manual',
        reason: 'Nothing to collect',
      }),
    )!;
    expect(skipped).toMatchObject({ key: 'gc-skipped:42', severity: 'low' });
    expect(skipped.description).toBe(
      'The garbage collection (manual run) did not start: Nothing to collect.',
    );
    expect(gcProblemEvent('default', run({}))).toBeUndefined();
  });

  it('reports what retention deleted by rule, what it kept and what the GC freed', () => {
    const summary = {
      deleted: 14,
      deletedTags: 12,
      deletedManifests: 2,
      deletedByRule: { 0: 10, 1: 4 },
      skipped: 1,
      failed: 0,
      remaining: 0,
      estimatedFreedBytes: GIB,
      tagsListed: 40,
      plannedAt: new Date(0),
    } as unknown as RetentionJournalSummary;
    const report = retentionReportEvent(
      'default',
      run({ freedBytes: 1.5 * GIB }),
      summary,
    );
    expect(report.title).toBe('Clean-up of acme-prod: 14 deleted');
    expect(report.description).toBe(
      'Retention deleted 12 tags and 2 untagged manifests (rule 1: 10, rule 2: 4); 28 of 40 tags kept, 1 of them pushed again since they were selected; the garbage collection freed 1.5 GiB.',
    );
  });

  it("sends account-wide events to the subscription's page, and a gone registry's to the account's owners too", () => {
    expect(storageEvent('team', 100, 6 * GIB, 5 * GIB, 'Basic')).toMatchObject({
      key: 'storage-100:Basic',
      severity: 'high',
      recipients: ['resource:team/do-registry-subscription-team'],
      link: '/catalog/team/resource/do-registry-subscription-team',
    });
    expect(
      registryGoneEvent('default', 'acme-old', {
        since: '2026-11-21T00:00:00.000Z',
        reason: '404',
      }).recipients,
    ).toEqual([
      'resource:default/docr-acme-old',
      'resource:default/do-registry-subscription-default',
    ]);
    expect(entityPagePath('resource:team/docr-acme', 'registry')).toBe(
      '/catalog/team/resource/docr-acme/registry',
    );
  });
});
