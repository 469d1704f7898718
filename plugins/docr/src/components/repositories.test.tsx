import { act, fireEvent, screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type {
  RepositoryPageView,
  RepositoryTagPageView,
  RepositoryView,
} from '@backstage-docr/plugin-docr-common';
import { DocrApi, DocrRegistryRef, docrApiRef } from '../api';
import { fakeApi as cardsFakeApi } from './__testUtils__/cards';
import { LISTING_RETRY_MS } from '../hooks/useCachedListing';
import { RepositoriesContent } from './RepositoriesContent';

const MIB = 1024 ** 2;

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'docr-acme-prod',
    annotations: { 'digitalocean.com/registry-name': 'acme-prod' },
  },
  spec: { type: 'container-registry', owner: 'group:default/platform' },
};

const repository = (name: string, i = 0): RepositoryView => ({
  name,
  tagCount: 3 + i,
  manifestCount: 7 + i,
  sizeBytes: 40 * MIB,
  latestTag: {
    tag: `v1.${i}`,
    updatedAt: '2026-11-23T10:00:00Z',
    compressedSizeBytes: 20 * MIB,
  },
});

/** 45 repositories, searched and paged as the docr backend does. */
const ALL = [
  'web',
  'worker',
  ...Array.from({ length: 43 }, (_, i) => `svc-${i}`),
];
const listRepositories = jest.fn(
  async (
    _registry: DocrRegistryRef,
    query: { q?: string; offset?: number; limit?: number } = {},
  ): Promise<RepositoryPageView> => {
    const matching = ALL.filter(n => !query.q || n.includes(query.q));
    const offset = query.offset ?? 0;
    return {
      items: matching
        .slice(offset, offset + (query.limit ?? 50))
        .map((n, i) => repository(n, i)),
      totalCount: matching.length,
      fetchedAt: '2026-11-23T10:00:00Z',
    };
  },
);

const tags: RepositoryTagPageView = {
  items: [
    {
      tag: 'v2',
      digest: `sha256:0123456789ab${'c'.repeat(52)}`,
      compressedSizeBytes: 12 * MIB,
      updatedAt: '2026-11-23T09:00:00Z',
    },
    {
      tag: 'v1',
      digest: `sha256:fedcba987654${'d'.repeat(52)}`,
      compressedSizeBytes: 11 * MIB,
      updatedAt: '2026-11-20T09:00:00Z',
    },
  ],
  totalCount: 2,
  fetchedAt: '2026-11-23T10:00:00Z',
  imagesPending: false,
};

/** The error the docr client throws for an answer with this status. */
function responseError(status: number, message: string) {
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText: String(status),
    url: 'http://localhost/api/docr/registries/acme-prod/repositories',
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () =>
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
  } as unknown as Response);
}

/** The cards' fake docr API, listing these repositories and tags, with no retention rules. */
function fakeApi(overrides: Partial<DocrApi> = {}): DocrApi {
  return cardsFakeApi({
    listRepositories,
    listTags: jest.fn(async () => tags),
    getRetentionPreview: jest.fn(async () => ({
      registry: 'acme-prod',
      version: 'v1',
      offset: 0,
      limit: 20,
      totalRepositories: 0,
      source: 'default' as const,
      rules: [],
      evaluatedAt: '2026-11-23T10:00:00Z',
      fetchedAt: '2026-11-23T10:00:00Z',
      repositories: [],
      tagsToDelete: 0,
      tagsToKeep: 0,
      deletesInWindows: true,
      estimatedFreedBytes: 0,
    })),
    ...overrides,
  });
}

async function render(api: DocrApi) {
  await renderInTestApp(
    <TestApiProvider apis={[[docrApiRef, api]]}>
      <EntityProvider entity={entity}>
        <RepositoriesContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('RepositoriesContent', () => {
  afterEach(() => {
    jest.useRealTimers();
    listRepositories.mockClear();
  });

  it('lists repositories with tags, manifests, size, latest tag and push time; searches and pages on the backend', async () => {
    await render(fakeApi());
    const row = (await screen.findByText('web')).closest('tr')!;
    expect(within(row).getByText('3')).toBeInTheDocument();
    expect(within(row).getByText('7')).toBeInTheDocument();
    expect(within(row).getByText('40.0 MiB')).toBeInTheDocument();
    expect(within(row).getByText('v1.0')).toBeInTheDocument();
    expect(
      within(row).getByText(new Date('2026-11-23T10:00:00Z').toLocaleString()),
    ).toBeInTheDocument();
    expect(listRepositories).toHaveBeenLastCalledWith(
      { name: 'acme-prod' },
      {
        q: undefined,
        offset: 0,
        limit: 20,
      },
    );

    fireEvent.click(screen.getByRole('button', { name: /next page/i }));
    expect(await screen.findByText('svc-18')).toBeInTheDocument();
    expect(listRepositories).toHaveBeenLastCalledWith(
      { name: 'acme-prod' },
      {
        q: undefined,
        offset: 20,
        limit: 20,
      },
    );

    fireEvent.change(screen.getByLabelText('Search repositories'), {
      target: { value: 'work' },
    });
    expect(await screen.findByText('worker')).toBeInTheDocument();
    expect(screen.queryByText('svc-18')).toBeNull();
    expect(screen.queryByText('web')).toBeNull();
    // A new search starts at the first page.
    expect(listRepositories).toHaveBeenLastCalledWith(
      { name: 'acme-prod' },
      {
        q: 'work',
        offset: 0,
        limit: 20,
      },
    );
  });

  it('says the repositories are being listed while the backend answers 503, and asks again until they are there', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const api = fakeApi({
      listRepositories: jest
        .fn()
        .mockRejectedValueOnce(await responseError(503, 'listing'))
        .mockRejectedValueOnce(await responseError(503, 'listing'))
        .mockImplementation(listRepositories),
    });
    await render(api);
    expect(
      await screen.findByText(
        'The docr backend is listing the repositories from DigitalOcean…',
      ),
    ).toBeInTheDocument();
    for (let i = 0; i < 2; i++) {
      await act(async () => {
        jest.advanceTimersByTime(LISTING_RETRY_MS);
      });
    }
    expect(await screen.findByText('web')).toBeInTheDocument();
    expect(api.listRepositories).toHaveBeenCalledTimes(3);
  });

  it('shows another error with a retry button, and does not ask again by itself', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const api = fakeApi({
      listRepositories: jest
        .fn()
        .mockRejectedValueOnce(
          await responseError(403, 'Not allowed: docr.registry.read'),
        )
        .mockImplementation(listRepositories),
    });
    await render(api);
    expect(
      (await screen.findAllByText(/Not allowed: docr.registry.read/)).length,
    ).toBeGreaterThan(0);
    await act(async () => {
      jest.advanceTimersByTime(3 * LISTING_RETRY_MS);
    });
    expect(api.listRepositories).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('web')).toBeInTheDocument();
  });

  it('while the backend reads the images, says so and asks again until each tag says what it is', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const multiArch = {
      kind: 'index' as const,
      platforms: ['linux/amd64', 'linux/arm64'],
      signed: false,
      attested: false,
      sbom: false,
    };
    const api = fakeApi({
      listTags: jest
        .fn()
        .mockResolvedValueOnce({ ...tags, imagesPending: true })
        .mockResolvedValue({
          ...tags,
          items: tags.items.map(tag => ({ ...tag, image: multiArch })),
        }),
    });
    await render(api);
    fireEvent.click(await screen.findByText('web'));
    expect(
      await screen.findByText(
        'Reading what each image is through the registry host…',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('linux/arm64')).not.toBeInTheDocument();
    await act(async () => {
      jest.advanceTimersByTime(LISTING_RETRY_MS);
    });
    expect((await screen.findAllByText('linux/arm64')).length).toBe(2);
    expect(
      screen.queryByText(
        'Reading what each image is through the registry host…',
      ),
    ).not.toBeInTheDocument();
    await act(async () => {
      jest.advanceTimersByTime(3 * LISTING_RETRY_MS);
    });
    expect(api.listTags).toHaveBeenCalledTimes(2);
  });

  it('shows the tags of a clicked repository, newest first, with a shortened digest and a copyable docker pull line', async () => {
    const api = fakeApi();
    await render(api);
    fireEvent.click(await screen.findByText('web'));
    expect(await screen.findByText('Tags of web')).toBeInTheDocument();
    expect(api.listTags).toHaveBeenCalledWith({ name: 'acme-prod' }, 'web', {
      q: undefined,
      offset: 0,
      limit: 20,
    });
    const rows = screen
      .getAllByText(/^docker pull /)
      .map(cell => cell.textContent);
    expect(rows).toEqual([
      'docker pull registry.digitalocean.com/acme-prod/web:v2',
      'docker pull registry.digitalocean.com/acme-prod/web:v1',
    ]);
    const newest = screen.getByText('sha256:0123456789ab').closest('tr')!;
    expect(within(newest).getByText('12.0 MiB')).toBeInTheDocument();
    expect(
      within(newest).getByLabelText(
        'Copy docker pull registry.digitalocean.com/acme-prod/web:v2',
      ),
    ).toBeInTheDocument();
  });
});
