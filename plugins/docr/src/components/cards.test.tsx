import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { SWRConfig } from 'swr';
import { Entity } from '@backstage/catalog-model';
import { alertApiRef } from '@backstage/core-plugin-api';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import type {
  GcRunView,
  RegistryDetailView,
} from '@backstage-docr/plugin-docr-common';
import { DocrApi, docrApiRef } from '../api';
import { ClusterRegistriesCard } from './ClusterRegistriesCard';
import { GcCard } from './GcCard';
import { RegistryCard, storageLevel } from './RegistryCard';
import {
  BUSY_REFRESH_MS,
  STORAGE_REFRESH_MS,
} from '../hooks/useRegistryDetail';
import { ResponseError } from '@backstage/errors';
import { RegistryContent } from './RegistryContent';

const GIB = 1024 ** 3;

function registryEntity(
  storageBytes: number,
  extra: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'docr-acme-prod',
      annotations: {
        'digitalocean.com/registry-name': 'acme-prod',
        'digitalocean.com/region': 'ams3',
        'digitalocean.com/subscription-tier': 'basic',
        'digitalocean.com/included-storage-bytes': String(5 * GIB),
        'digitalocean.com/tier-monthly-price-cents': '500',
        'digitalocean.com/storage-overage-price-cents': '2',
        'digitalocean.com/storage-usage-bytes': String(storageBytes),
        ...extra,
      },
    },
    spec: { type: 'container-registry', owner: 'group:default/platform' },
    relations: [
      { type: 'dependencyOf', targetRef: 'resource:default/doks-prod-ams3' },
    ],
  };
}

const run = (overrides: Partial<GcRunView>): GcRunView => ({
  id: 1,
  registryName: 'acme-prod',
  trigger: 'window',
  type: 'untagged manifests and unreferenced blobs',
  doUuid: 'uuid',
  status: 'succeeded',
  statuses: ['starting', 'requested', 'succeeded'],
  blobsDeleted: 12,
  freedBytes: 3 * GIB,
  storageBefore: 8 * GIB,
  storageAfter: 5 * GIB,
  requestedBy: null,
  reason: null,
  windowEnd: null,
  createdAt: '2026-11-22T03:00:00Z',
  startedAt: '2026-11-22T03:00:00Z',
  finishedAt: '2026-11-22T03:12:30Z',
  durationMs: 750_000,
  ...overrides,
});

const summary = (
  overrides: Partial<RegistryDetailView> = {},
): RegistryDetailView => ({
  name: 'acme-prod',
  storageBytes: 4 * GIB,
  storageSampledAt: '2026-11-23T10:00:00Z',
  policy: {
    enabled: true,
    type: 'untagged manifests and unreferenced blobs',
    cancelAtWindowEnd: true,
    windows: [
      {
        days: ['sun'],
        start: '03:00',
        duration: 'PT2H',
        timezone: 'Europe/Berlin',
      },
    ],
  },
  policySource: 'config',
  managedByConfig: true,
  openWindow: null,
  nextWindow: {
    start: '2026-11-29T02:00:00.000Z',
    end: '2026-11-29T04:00:00.000Z',
    timezone: 'Europe/Berlin',
  },
  activeRun: null,
  lastRun: null,
  account: {
    registryCount: 1,
    storageBytes: overrides.storageBytes ?? 4 * GIB,
    sampledAt: '2026-11-23T10:00:00Z',
  },
  ...overrides,
});

/** The docr API's answer for a registry of `bytes` in an account of `count` registries holding `total`. */
const withStorage = (bytes: number, total = bytes, count = 1) =>
  fakeApi({
    getRegistry: jest.fn(async () =>
      summary({
        storageBytes: bytes,
        account: {
          registryCount: count,
          storageBytes: total,
          sampledAt: '2026-11-23T10:00:00Z',
        },
      }),
    ),
  });

/** The error the docr client throws for an answer with this status. */
function responseError(status: number, message: string) {
  const body = JSON.stringify({
    error: { name: 'Error', message },
    response: { statusCode: status },
  });
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText: String(status),
    url: 'http://localhost/api/docr/registries/acme-prod',
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () => body,
  } as unknown as Response);
}

function fakeApi(overrides: Partial<DocrApi> = {}): DocrApi {
  return {
    getRegistry: jest.fn(async () => summary()),
    listRuns: jest.fn(async () => ({
      items: [],
      totalCount: 0,
      limit: 10,
      offset: 0,
    })),
    getStorage: jest.fn(async () => []),
    startGc: jest.fn(async () =>
      run({ id: 7, status: 'requested', trigger: 'manual' }),
    ),
    cancelRun: jest.fn(),
    listRepositories: jest.fn(),
    listTags: jest.fn(),
    checkRegistryName: jest.fn(),
    ...overrides,
  };
}

async function render(
  element: JSX.Element,
  options: {
    entity?: Entity;
    api?: DocrApi;
    permission?:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY
      | ((
          request: EvaluatePermissionRequest,
        ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY);
  } = {},
) {
  const alerts = { post: jest.fn(), alert$: jest.fn() };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [docrApiRef, options.api ?? fakeApi()],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.permission ?? AuthorizeResult.ALLOW,
          }),
        ],
        [alertApiRef, alerts],
      ]}
    >
      {/* usePermission caches decisions; each test starts with none. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={options.entity ?? registryEntity(4 * GIB)}>
          {element}
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name':
          require('@backstage/plugin-catalog-react').entityRouteRef,
      },
    },
  );
  return { alerts };
}

describe('RegistryCard', () => {
  it('shows tier, region, server URL, login line, storage, cost and DOKS clusters', async () => {
    await render(<RegistryCard />);
    expect(screen.getByText('basic')).toBeInTheDocument();
    expect(screen.getByText('ams3')).toBeInTheDocument();
    expect(
      screen.getAllByText('registry.digitalocean.com/acme-prod').length,
    ).toBeGreaterThan(0);
    expect(screen.getByText('doctl registry login')).toBeInTheDocument();
    expect(screen.getByLabelText('Copy server URL')).toBeInTheDocument();
    expect(await screen.findByTestId('storage-label')).toHaveTextContent(
      '4.0 GiB',
    );
    expect(screen.getByTestId('account-storage-label')).toHaveTextContent(
      'Account: 4.0 GiB of 5.0 GiB included (80 %), the account has this registry only',
    );
    expect(screen.getByTestId('cost')).toHaveTextContent(
      '≈ $5.00 for the account (tier $5.00)',
    );
    expect(screen.getByText('doks-prod-ams3')).toBeInTheDocument();
  });

  it('applies the subscription to the account’s total, once: three registries are one subscription, not three', async () => {
    // Before: each registry's card showed its own storage against the limit and the full tier
    // price, so three registries read as three subscriptions.
    await render(<RegistryCard />, { api: withStorage(1 * GIB, 6 * GIB, 3) });
    expect(await screen.findByTestId('storage-label')).toHaveTextContent(
      '1.0 GiB',
    );
    expect(screen.getByTestId('account-storage-label')).toHaveTextContent(
      "Account: 6.0 GiB of 5.0 GiB included (120 %), shared by the account's 3 registries",
    );
    expect(screen.getByTestId('storage-bar')).toHaveAttribute(
      'data-level',
      'full',
    );
    expect(screen.getByTestId('cost')).toHaveTextContent(
      "≈ $5.02 for the account (tier $5.00 + 1.0 GiB over at $0.02), shared by the account's 3 registries",
    );
  });

  it('shows storage from the docr API, not the entity’s annotation, and follows it', async () => {
    // The annotation says 4 GiB (up to a catalog refresh old); the docr API knows the newer figure.
    const getRegistry = jest
      .fn()
      .mockResolvedValueOnce(summary({ storageBytes: 4 * GIB }))
      .mockResolvedValue(summary({ storageBytes: 1 * GIB }));
    jest.useFakeTimers({ advanceTimers: true });
    try {
      await render(<RegistryCard />, {
        entity: registryEntity(4 * GIB),
        api: fakeApi({ getRegistry }),
      });
      expect(await screen.findByTestId('storage-label')).toHaveTextContent(
        '4.0 GiB',
      );
      jest.advanceTimersByTime(STORAGE_REFRESH_MS);
      await waitFor(() =>
        expect(screen.getByTestId('storage-label')).toHaveTextContent(
          '1.0 GiB',
        ),
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('says when storage cannot be read, and still shows the registry', async () => {
    await render(<RegistryCard />, {
      api: fakeApi({
        getRegistry: jest.fn(async () => {
          throw new Error('docr backend unavailable');
        }),
      }),
    });
    expect(await screen.findByTestId('storage-error')).toHaveTextContent(
      'Storage unavailable: docr backend unavailable',
    );
    expect(screen.getByText('ams3')).toBeInTheDocument();
  });

  it.each([
    [3 * GIB, 'ok'],
    [4 * GIB, 'warning'],
    [5 * GIB, 'full'],
  ])(
    'colours the storage bar by the account’s use of the tier (%d bytes: %s)',
    async (bytes, level) => {
      await render(<RegistryCard />, { api: withStorage(bytes) });
      expect(await screen.findByTestId('storage-bar')).toHaveAttribute(
        'data-level',
        level,
      );
    },
  );

  it('adds overage at the tier’s price per GiB', async () => {
    await render(<RegistryCard />, { api: withStorage(15 * GIB) });
    expect(await screen.findByTestId('cost')).toHaveTextContent(
      '≈ $5.20 for the account (tier $5.00 + 10.0 GiB over at $0.20)',
    );
  });

  it('says what is missing on an entity without the registry annotation', async () => {
    const entity = registryEntity(0);
    delete entity.metadata.annotations!['digitalocean.com/registry-name'];
    await render(<RegistryCard />, { entity });
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/digitalocean.com\/registry-name/).length,
    ).toBeGreaterThan(0);
  });

  it('thresholds', () => {
    expect([
      storageLevel(undefined),
      storageLevel(0.79),
      storageLevel(0.8),
      storageLevel(1.2),
    ]).toEqual(['ok', 'ok', 'warning', 'full']);
  });
});

describe('GcCard', () => {
  it('shows a spinner while loading', async () => {
    await render(<GcCard />, {
      api: fakeApi({ getRegistry: () => new Promise(() => {}) }),
    });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the backend’s error with a retry that reloads', async () => {
    const getRegistry = jest
      .fn()
      .mockRejectedValueOnce(new Error('docr backend unavailable'))
      .mockResolvedValue(summary());
    await render(<GcCard />, { api: fakeApi({ getRegistry }) });
    expect(
      await screen.findByText('Error: docr backend unavailable'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByText('Retry'));
    expect(await screen.findByText('GC has never run')).toBeInTheDocument();
    expect(getRegistry).toHaveBeenCalledTimes(2);
  });

  it('asks again by itself while the docr backend has not listed the account yet (503)', async () => {
    const notReady = await responseError(503, 'not listed yet');
    const getRegistry = jest
      .fn()
      .mockRejectedValueOnce(notReady)
      .mockResolvedValue(summary());
    jest.useFakeTimers({ advanceTimers: true });
    try {
      await render(<GcCard />, { api: fakeApi({ getRegistry }) });
      expect(await screen.findAllByText(/not listed yet/)).not.toHaveLength(0);
      jest.advanceTimersByTime(BUSY_REFRESH_MS);
      expect(await screen.findByText('GC has never run')).toBeInTheDocument();
      expect(getRegistry).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not ask again by itself after a 403: that needs the user', async () => {
    const forbidden = await responseError(403, 'docr backend unavailable');
    const getRegistry = jest.fn().mockRejectedValue(forbidden);
    jest.useFakeTimers({ advanceTimers: true });
    try {
      await render(<GcCard />, { api: fakeApi({ getRegistry }) });
      expect(
        await screen.findAllByText(/docr backend unavailable/),
      ).not.toHaveLength(0);
      jest.advanceTimersByTime(3 * BUSY_REFRESH_MS);
      expect(getRegistry).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows the policy, who manages it, the next window in both zones, and that GC never ran', async () => {
    await render(<GcCard />);
    expect(
      await screen.findByText('Policy managed by app-config'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/sun 03:00 for 2h \(Europe\/Berlin\)/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('next-window')).toHaveTextContent(
      'Sun 29 Nov, 03:00 GMT+1 in Europe/Berlin',
    );
    expect(screen.getByText('GC has never run')).toBeInTheDocument();
  });

  it('shows the active run and the last run’s freed bytes', async () => {
    await render(<GcCard />, {
      api: fakeApi({
        getRegistry: async () =>
          summary({
            activeRun: run({
              id: 2,
              status: 'scanning manifests',
              finishedAt: null,
            }),
            lastRun: run({}),
          }),
      }),
    });
    expect(await screen.findByText('scanning manifests')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('last-run')).getByText(/freed 3.0 GiB/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Run GC now' })).toBeDisabled();
  });

  it('runs GC now after a warning that the registry turns read-only', async () => {
    const api = fakeApi();
    const { alerts } = await render(<GcCard />, { api });
    fireEvent.click(await screen.findByRole('button', { name: 'Run GC now' }));
    expect(
      screen.getByText(
        /The registry turns read-only while garbage collection runs/,
      ),
    ).toBeInTheDocument();
    fireEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Run GC now',
      }),
    );
    await waitFor(() => expect(api.startGc).toHaveBeenCalledWith('acme-prod'));
    await waitFor(() =>
      expect(alerts.post).toHaveBeenCalledWith(
        expect.objectContaining({ severity: 'success' }),
      ),
    );
  });

  it('asks for the permission on this registry, not globally', async () => {
    const asked: EvaluatePermissionRequest[] = [];
    await render(<GcCard />, {
      permission: request => {
        asked.push(request);
        return request.resourceRef === 'resource:default/docr-acme-prod'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY;
      },
    });
    expect(
      await screen.findByRole('button', { name: 'Run GC now' }),
    ).toBeInTheDocument();
    expect(asked).toContainEqual(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: 'docr.garbage-collection.run',
          resourceType: 'catalog-entity',
        }),
        resourceRef: 'resource:default/docr-acme-prod',
      }),
    );
  });

  it('hides the button without permission', async () => {
    await render(<GcCard />, { permission: AuthorizeResult.DENY });
    await screen.findByText('GC has never run');
    expect(
      await screen.findByText(
        /needs the docr.garbage-collection.run permission/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Run GC now' }),
    ).not.toBeInTheDocument();
  });
});

describe('RegistryContent', () => {
  it('lists the GC history with status, freed bytes, duration and who started it', async () => {
    const api = fakeApi({
      listRuns: jest.fn(async () => ({
        items: [
          run({ id: 2, trigger: 'manual', requestedBy: 'user:default/jane' }),
          run({
            id: 1,
            trigger: 'external',
            status: 'cancelled',
            freedBytes: 0,
          }),
        ],
        totalCount: 2,
        limit: 10,
        offset: 0,
      })),
      getStorage: jest.fn(async () => [
        { storageBytes: 8 * GIB, sampledAt: '2026-11-22T02:00:00Z' },
        { storageBytes: 5 * GIB, sampledAt: '2026-11-22T04:00:00Z' },
      ]),
    });
    await render(<RegistryContent />, { api });
    expect(
      await screen.findByText('run by hand: user:default/jane'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('DigitalOcean console or doctl'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('12 min 30 s')).toHaveLength(2);
    expect(screen.getByText('cancelled')).toBeInTheDocument();
    expect(await screen.findByTestId('storage-chart')).toBeInTheDocument();
    expect(screen.getAllByTestId('gc-mark')).toHaveLength(2);
  });

  it('says GC has never run, and that storage samples are still coming', async () => {
    await render(<RegistryContent />);
    expect(
      await screen.findByText(
        'Not enough storage samples yet (one is taken every hour).',
      ),
    ).toBeInTheDocument();
    expect(await screen.findAllByText('GC has never run')).not.toHaveLength(0);
  });
});

describe('ClusterRegistriesCard', () => {
  const cluster = (relations: Entity['relations']): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'doks-prod-ams3' },
    spec: { type: 'kubernetes-cluster' },
    relations,
  });

  it('lists the registries the cluster can pull from', async () => {
    await render(<ClusterRegistriesCard />, {
      entity: cluster([
        { type: 'dependsOn', targetRef: 'resource:default/docr-acme-prod' },
      ]),
    });
    expect(screen.getByText('docr-acme-prod')).toBeInTheDocument();
  });

  it('says when the cluster has no registry', async () => {
    await render(<ClusterRegistriesCard />, { entity: cluster([]) });
    expect(
      screen.getByText(/not integrated with any registry/),
    ).toBeInTheDocument();
  });
});
