import { screen } from '@testing-library/react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { RetentionPreviewView } from '@backstage-docr/plugin-docr-common';
import { DocrApi, docrApiRef } from '../api';
import { RetentionPreviewCard, describeRule } from './RetentionPreviewCard';

const MIB = 1024 ** 2;

const preview: RetentionPreviewView = {
  registry: 'acme-ci',
  source: 'config',
  rules: [
    {
      repositories: ['web'],
      keepNewest: 10,
      deleteOlderThan: 'P30D',
      protect: ['latest'],
      protectSemver: true,
    },
  ],
  evaluatedAt: '2026-11-29T10:00:00Z',
  fetchedAt: '2026-11-29T09:58:00Z',
  repositories: [
    {
      name: 'web',
      delete: [
        {
          tag: 'sha-0a1b2c3',
          digest: 'sha256:aa',
          updatedAt: '2026-09-01T10:00:00Z',
          compressedSizeBytes: 30 * MIB,
          reasons: [],
          reason: 'rule 0: older than P30D and not among the 10 newest',
        },
      ],
      keep: [],
      untaggedManifestsToDelete: [],
      estimatedFreedBytes: 12 * MIB,
    },
  ],
  tagsToDelete: 1,
  tagsToKeep: 12,
  estimatedFreedBytes: 12 * MIB,
};

async function render(getRetentionPreview: DocrApi['getRetentionPreview']) {
  const api = { getRetentionPreview } as unknown as DocrApi;
  await renderInTestApp(
    <TestApiProvider apis={[[docrApiRef, api]]}>
      <RetentionPreviewCard registry={{ name: 'acme-ci' }} />
    </TestApiProvider>,
  );
}

describe('the retention preview on the Repositories tab', () => {
  it('shows the rules, what they would delete and why, and what a GC would then free', async () => {
    await render(async () => preview);
    expect(await screen.findByTestId('retention-summary')).toHaveTextContent(
      'Would delete 1 tags and keep 12; a garbage collection afterwards frees at least 12.0 MiB.',
    );
    expect(
      screen.getByText('rule 0: older than P30D and not among the 10 newest'),
    ).toBeInTheDocument();
    expect(screen.getByText('sha-0a1b2c3')).toBeInTheDocument();
    expect(
      screen.getByText(/Rules managed by app-config; a preview/),
    ).toBeInTheDocument();
  });

  it('says that every tag is kept without rules', async () => {
    await render(async () => ({ ...preview, rules: [], repositories: [] }));
    expect(await screen.findByTestId('retention-summary')).toHaveTextContent(
      'No retention rules: every tag is kept.',
    );
  });

  it('describes a rule in words', () => {
    expect(describeRule(preview.rules[0])).toBe(
      'web: keep the 10 newest; delete older than P30D; protect latest; protect semantic versions',
    );
  });
});
