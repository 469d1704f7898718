import { Entity } from '@backstage/catalog-model';
import type { CatalogApi } from '@backstage/plugin-catalog-react';
import { alertApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider, catalogApiRef } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import type {
  GcRunView,
  RegistryDetailView,
} from '@backstage-docr/plugin-docr-common';
import { ResponseError } from '@backstage/errors';
import { DocrApi, docrApiRef } from '../../api';

export const GIB = 1024 ** 3;

export function registryEntity(
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
      {
        type: 'dependsOn',
        targetRef: 'resource:default/do-registry-subscription-default',
      },
    ],
  };
}

/** A catalog Resource of `type`, as the related entities of the entity under test. */
export const resource = (
  name: string,
  type: string,
  relations: Entity['relations'] = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name },
  spec: { type, owner: 'group:default/platform' },
  relations,
});

/** What the catalog holds around the registry: its DOKS cluster and its account's subscription. */
export const catalogEntities = (): Entity[] => [
  resource('doks-prod-ams3', 'kubernetes-cluster'),
  resource(
    'do-registry-subscription-default',
    'container-registry-subscription',
  ),
  registryEntity(4 * GIB),
];

/** A catalog that answers related-entity lookups from `entities`; it fails with `error`. */
export function fakeCatalog(entities: Entity[], error?: Error): CatalogApi {
  return {
    getEntitiesByRefs: async ({ entityRefs }: { entityRefs: string[] }) => {
      if (error) throw error;
      return {
        items: entityRefs.map(ref =>
          entities.find(entity => stringifyEntityRef(entity) === ref),
        ),
      };
    },
  } as unknown as CatalogApi;
}

export const run = (overrides: Partial<GcRunView>): GcRunView => ({
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

export const summary = (
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
  orphaned: null,
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
export const withStorage = (bytes: number, total = bytes, count = 1) =>
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
export function responseError(status: number, message: string) {
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

export function fakeApi(overrides: Partial<DocrApi> = {}): DocrApi {
  return {
    getRegistry: jest.fn(async () => summary()),
    listRuns: jest.fn(async () => ({
      items: [],
      totalCount: 0,
      limit: 10,
      offset: 0,
    })),
    getStorage: jest.fn(async () => []),
    // Pending: the cards that do not test savings show it loading.
    getSavings: jest.fn(() => new Promise(() => {})),
    getSavingsCsv: jest.fn(),
    startGc: jest.fn(async () =>
      run({ id: 7, status: 'requested', trigger: 'manual' }),
    ),
    cancelRun: jest.fn(),
    listRepositories: jest.fn(),
    listTags: jest.fn(),
    checkRegistryName: jest.fn(),
    getRetentionPreview: jest.fn(),
    getPolicy: jest.fn(),
    putPolicy: jest.fn(),
    ...overrides,
  };
}

export async function render(
  element: JSX.Element,
  options: {
    entity?: Entity;
    api?: DocrApi;
    /** The catalog, for the related entities cards show; default {@link catalogEntities}. */
    catalog?: CatalogApi;
  } = {},
) {
  const alerts = { post: jest.fn(), alert$: jest.fn() };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [docrApiRef, options.api ?? fakeApi()],
        [permissionApiRef, mockApis.permission()],
        [catalogApiRef, options.catalog ?? fakeCatalog(catalogEntities())],
        [alertApiRef, alerts],
      ]}
    >
      <EntityProvider entity={options.entity ?? registryEntity(4 * GIB)}>
        {element}
      </EntityProvider>
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
