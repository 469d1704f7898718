import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { usePermission } from '@backstage/plugin-permission-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type {
  RetentionPreviewView,
  RetentionTagPreviewView,
} from '@backstage-docr/plugin-docr-common';
import { DocrApi, docrApiRef } from '../api';
import { RetentionPreviewCard, describeRule } from './RetentionPreviewCard';
import { responseError } from './__testUtils__/cards';

const MIB = 1024 ** 2;

const preview: RetentionPreviewView = {
  registry: 'acme-ci',
  version: 'v1',
  offset: 0,
  limit: 20,
  totalRepositories: 1,
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
          reason: 'rule 1: older than P30D and not among the 10 newest',
        },
      ],
      keep: [],
      untaggedManifestsToDelete: [],
      estimatedFreedBytes: 12 * MIB,
    },
  ],
  tagsToDelete: 1,
  tagsToKeep: 12,
  deletesInWindows: true,
  estimatedFreedBytes: 12 * MIB,
};

jest.mock('@backstage/plugin-permission-react', () => ({
  ...jest.requireActual('@backstage/plugin-permission-react'),
  usePermission: jest.fn(),
}));
const usePermissionMock = jest.mocked(usePermission);
const ENTITY = 'resource:team-b/docr-acme-ci';

async function render(
  getRetentionPreview: DocrApi['getRetentionPreview'],
  more: Partial<DocrApi> = {},
) {
  const api = { getRetentionPreview, ...more } as unknown as DocrApi;
  await renderInTestApp(
    <TestApiProvider apis={[[docrApiRef, api]]}>
      <RetentionPreviewCard
        registry={{ name: 'acme-ci', account: 'team-b' }}
        entityRef={ENTITY}
      />
    </TestApiProvider>,
  );
}

describe('the retention preview on the Repositories tab', () => {
  beforeEach(() => {
    usePermissionMock.mockReset();
    usePermissionMock.mockReturnValue({ loading: false, allowed: false });
  });

  it('shows the rules, what they would delete and why, and what a GC would then free', async () => {
    await render(async () => preview);
    expect(await screen.findByTestId('retention-summary')).toHaveTextContent(
      'Would delete 1 tags and keep 12; a garbage collection afterwards frees at least 12.0 MiB.',
    );
    expect(
      screen.getByText('rule 1: older than P30D and not among the 10 newest'),
    ).toBeInTheDocument();
    expect(screen.getByText('sha-0a1b2c3')).toBeInTheDocument();
    expect(
      screen.getByText(
        /Rules managed by app-config; what they select is deleted/,
      ),
    ).toBeInTheDocument();
    // Config manages them: the page says where to change them, and offers no editor.
    expect(
      screen.getByText(/The rules are managed by app-config/),
    ).toBeInTheDocument();
    expect(screen.queryByText('Edit rules')).not.toBeInTheDocument();
  });

  it('lets those allowed docr.policy.update edit the rules, keeping the rest of the policy', async () => {
    usePermissionMock.mockReturnValue({ loading: false, allowed: true });
    const window = {
      days: ['sun'],
      start: '03:00',
      duration: 'PT2H',
      timezone: 'UTC',
    };
    const stored = {
      enabled: true,
      type: 'untagged manifests and unreferenced blobs',
      windows: [window],
      cancelAtWindowEnd: true,
      retention: { rules: preview.rules },
    };
    const getPolicy = jest.fn(async () => ({
      policy: stored,
      source: 'api',
      managedByConfig: false,
    }));
    const putPolicy = jest.fn(async (_registry: any, policy: any) => ({
      policy,
      source: 'api',
      managedByConfig: false,
    }));
    const getPreview = jest.fn(async () => ({ ...preview, source: 'api' }));
    await render(getPreview as any, { getPolicy, putPolicy } as any);
    expect(usePermissionMock).toHaveBeenCalledWith({
      permission: expect.objectContaining({ name: 'docr.policy.update' }),
      resourceRef: ENTITY,
    });
    fireEvent.click(await screen.findByText('Edit rules'));
    fireEvent.change(screen.getByTestId('rule-0-keepNewest'), {
      target: { value: '5' },
    });
    fireEvent.click(screen.getByText('Add a rule'));
    fireEvent.change(screen.getByTestId('rule-1-repositories'), {
      target: { value: 'worker*, tools/*' },
    });
    fireEvent.click(screen.getByText('Save rules'));
    await waitFor(() => expect(putPolicy).toHaveBeenCalled());
    expect(putPolicy).toHaveBeenCalledWith(
      { name: 'acme-ci', account: 'team-b' },
      {
        ...stored,
        retention: {
          rules: [
            { ...preview.rules[0], keepNewest: 5 },
            {
              repositories: ['worker*', 'tools/*'],
              keepNewest: 20,
              deleteOlderThan: 'P30D',
              protect: ['latest'],
              protectSemver: true,
            },
          ],
        },
      },
    );
    // The preview is asked again, with the new rules.
    await waitFor(() => expect(getPreview).toHaveBeenCalledTimes(2));
  });

  it('shows the backend’s answer naming the field when the rules are not valid', async () => {
    usePermissionMock.mockReturnValue({ loading: false, allowed: true });
    const putPolicy = jest.fn(async () => {
      throw new Error(
        'Invalid policy: retention.rules.0.deleteOlderThan: Must be a positive ISO 8601 duration such as "P30D", got "30 days"',
      );
    });
    await render(async () => ({ ...preview, source: 'api' }), {
      getPolicy: jest.fn(async () => ({
        policy: { windows: [] },
        source: 'api',
        managedByConfig: false,
      })),
      putPolicy,
    } as any);
    fireEvent.click(await screen.findByText('Edit rules'));
    fireEvent.change(screen.getByTestId('rule-0-deleteOlderThan'), {
      target: { value: '30 days' },
    });
    fireEvent.click(screen.getByText('Save rules'));
    expect(await screen.findByTestId('rules-error')).toHaveTextContent(
      'retention.rules.0.deleteOlderThan: Must be a positive ISO 8601 duration',
    );
  });

  it('tells someone without docr.policy.update what it takes, with no editor', async () => {
    usePermissionMock.mockReturnValue({ loading: false, allowed: false });
    await render(async () => ({ ...preview, source: 'api' }));
    expect(
      await screen.findByText(/needs the docr.policy.update permission/),
    ).toBeInTheDocument();
    expect(screen.queryByText('Edit rules')).not.toBeInTheDocument();
  });

  it('says the rules are only a preview when this portal does not delete', async () => {
    await render(async () => ({ ...preview, deletesInWindows: false }));
    expect(
      await screen.findByText(
        /only a preview: this portal deletes no tag \(docr.tagRetention.enabled is off\)/,
      ),
    ).toBeInTheDocument();
  });

  it('says that every tag is kept without rules', async () => {
    await render(async () => ({ ...preview, rules: [], repositories: [] }));
    expect(await screen.findByTestId('retention-summary')).toHaveTextContent(
      'No retention rules: every tag is kept.',
    );
  });

  it('shows each tag’s closure, and why its attachments and the manifests it cannot tell are kept', async () => {
    const subjectHex = `0123456789ab${'c'.repeat(52)}`;
    const kept = (
      tag: string,
      fields: Partial<RetentionTagPreviewView>,
    ): RetentionTagPreviewView => ({
      tag,
      digest: `sha256:${tag.length}${'f'.repeat(63)}`,
      updatedAt: '2026-11-20T10:00:00Z',
      compressedSizeBytes: MIB,
      reason: '',
      reasons: [],
      ...fields,
    });
    const web = preview.repositories[0];
    await render(async () => ({
      ...preview,
      repositories: [
        {
          ...web,
          delete: [
            {
              ...web.delete[0],
              closure: {
                platforms: ['linux/amd64', 'linux/arm64'],
                attachments: [],
              },
            },
          ],
          keep: [
            kept('v1.4.0', {
              reasons: [{ kind: 'protected', rule: 0, pattern: 'semver' }],
              closure: {
                platforms: [],
                attachments: [
                  {
                    kind: 'signature',
                    tag: `sha256-${subjectHex}.sig`,
                    digest: 'sha256:51',
                  },
                ],
              },
            }),
            kept(`sha256-${subjectHex}.sig`, {
              closure: {
                platforms: [],
                attachments: [
                  {
                    kind: 'signature',
                    tag: `sha256-${subjectHex}.sig`,
                    digest: 'sha256:51',
                  },
                ],
              },
              reasons: [
                {
                  kind: 'attachment',
                  subjectDigest: `sha256:${subjectHex}`,
                  subjectTag: 'v1.4.0',
                  follows: 'kept',
                },
              ],
            }),
            kept('wasm', {
              reasons: [{ kind: 'unknownType', reason: 'artifactType x/y' }],
            }),
          ],
        },
      ],
    }));
    const deleted = await screen.findByTestId('closure-web-sha-0a1b2c3');
    expect(within(deleted).getByText('linux/arm64')).toBeInTheDocument();
    expect(
      within(deleted).getByText('platforms: deleted with it'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('closure-web-v1.4.0')).getByText(
        'signature sha256-0123456789ab….sig: kept with it',
      ),
    ).toBeInTheDocument();
    // The signature's own closure names only itself: nothing goes with it.
    expect(
      screen.queryByTestId(`closure-web-sha256-${subjectHex}.sig`),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('rule 1 protects semantic versions'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('signature of v1.4.0: kept with it'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('kept: type unknown (artifactType x/y)'),
    ).toBeInTheDocument();
  });

  it('says which repository’s images could not be read, and that nothing of it is deleted', async () => {
    await render(async () => ({
      ...preview,
      repositories: [
        { ...preview.repositories[0], unreadable: 'registry host: HTTP 503' },
      ],
    }));
    expect(
      await screen.findByText(
        'web: its images could not be read (registry host: HTTP 503); nothing of it is deleted.',
      ),
    ).toBeInTheDocument();
  });

  it('shows why a tag in use is kept (where it runs), and when what runs was read', async () => {
    const running: RetentionTagPreviewView = {
      tag: 'v1.4.1',
      digest: 'sha256:bb',
      updatedAt: '2026-09-01T10:00:00Z',
      compressedSizeBytes: 30 * MIB,
      reasons: [
        {
          kind: 'inUse',
          use: 'running',
          where: 'running in prod-ams3: shop/web-7d9f4-x2kq8',
        },
        {
          kind: 'inUse',
          use: 'app',
          where: 'App Platform app shop-web, active deployment (web)',
        },
      ],
      reason: '',
    };
    await render(async () => ({
      ...preview,
      inUseReadAt: '2026-11-29T09:59:00Z',
      repositories: [{ ...preview.repositories[0], keep: [running] }],
    }));
    expect(
      await screen.findByText(
        'running in prod-ams3: shop/web-7d9f4-x2kq8; App Platform app shop-web, active deployment (web)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/^Images running on DOKS or deployed by App Platform/),
    ).toBeInTheDocument();
  });

  it('says nothing would be deleted while what runs from the registry cannot be read, once, not per repository', async () => {
    const heldBack =
      'what runs could not be read (prod-ams3: connect ECONNREFUSED), so nothing of the registry is deleted';
    await render(async () => ({
      ...preview,
      heldBack,
      inUseReadAt: '2026-11-29T09:59:00Z',
      tagsToDelete: 0,
      repositories: [
        { ...preview.repositories[0], delete: [], unreadable: heldBack },
      ],
    }));
    expect(await screen.findByTestId('retention-held-back')).toHaveTextContent(
      `Nothing would be deleted: ${heldBack}.`,
    );
    expect(
      screen.queryByText(/its images could not be read/),
    ).not.toBeInTheDocument();
  });

  it('says when what runs was not read yet', async () => {
    await render(async () => preview);
    expect(
      await screen.findByText(
        'What runs on DOKS and App Platform is not read yet: the images in use are not known to this preview.',
      ),
    ).toBeInTheDocument();
  });

  it('describes a rule in words', () => {
    expect(describeRule(preview.rules[0])).toBe(
      'web: keep the 10 newest; delete older than P30D; protect latest; protect semantic versions',
    );
  });

  it('shows a page of repositories, and the next page of the same preview on asking', async () => {
    const page = (offset: number, names: string[]): RetentionPreviewView => ({
      ...preview,
      offset,
      totalRepositories: 3,
      repositories: names.map(name => ({
        ...preview.repositories[0],
        name,
        delete: [{ ...preview.repositories[0].delete[0], tag: `${name}-old` }],
      })),
    });
    const getRetentionPreview = jest.fn(
      async (_registry: unknown, query?: { offset?: number }) =>
        query?.offset ? page(2, ['worker']) : page(0, ['api', 'web']),
    );
    await render(getRetentionPreview);
    expect(await screen.findByText('web-old')).toBeInTheDocument();
    expect(screen.queryByText('worker-old')).not.toBeInTheDocument();
    fireEvent.click(screen.getByTestId('retention-more'));
    expect(await screen.findByText('worker-old')).toBeInTheDocument();
    expect(getRetentionPreview).toHaveBeenLastCalledWith(
      { name: 'acme-ci', account: 'team-b' },
      { offset: 2, limit: 20, version: 'v1' },
    );
    expect(screen.queryByTestId('retention-more')).not.toBeInTheDocument();
  });

  it('starts again from the first page when the preview changed between pages', async () => {
    const first = { ...preview, totalRepositories: 2 };
    const getRetentionPreview = jest
      .fn()
      .mockResolvedValueOnce(first)
      .mockRejectedValueOnce(await responseError(409, 'changed'))
      .mockResolvedValue({ ...preview, version: 'v2', tagsToDelete: 7 });
    await render(getRetentionPreview);
    fireEvent.click(await screen.findByTestId('retention-more'));
    await waitFor(() =>
      expect(screen.getByTestId('retention-summary')).toHaveTextContent(
        'Would delete 7 tags',
      ),
    );
    expect(getRetentionPreview.mock.calls[2][1]).toEqual({
      offset: 0,
      limit: 20,
    });
  });
});
