import type OpenAPIBackend from 'openapi-backend';
import {
  DoEmulator,
  createOpenApiValidator,
} from '@backstage-docr/do-emulator';
import { loadOpenApiSpec } from '@backstage-docr/digitalocean-openapi';
import { DigitalOceanClient } from '../DigitalOceanClient';

/**
 * Contract test: every operation in DigitalOcean's spec is called through the client; each
 * request the client sends is validated here against the spec as DigitalOcean publishes it, with
 * the known gaps listed, and each response the emulator
 * sends is validated against the spec by the emulator (`validateResponses`), which turns a
 * response that drifts into a 500 the client throws on.
 */

const CLUSTER_A = '6c9e1c4e-2b1d-4a3e-9f0a-0d7c2d1b9a01';
const CLUSTER_B = '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02';

/**
 * Requests that deviate from the spec on purpose, because the spec has a known gap and the real
 * API works otherwise (see the shared spec's README). Anything else that fails validation fails
 * the test.
 */
const KNOWN_GAPS: Record<string, RegExp> = {
  // The real API takes {"type": ...}; the spec declares no body here.
  registries_run_garbageCollection: /requestBody/,
  // The real API takes read_write and expiry_seconds; the spec does not declare them.
  registries_get_dockerCredentials:
    /\/query must NOT have additional properties/,
};

describe('contract: client requests and emulator responses against the OpenAPI spec', () => {
  let emulator: DoEmulator;
  let client: DigitalOceanClient;
  let spec: OpenAPIBackend;
  const problems: string[] = [];
  const validated = new Set<string>();

  beforeAll(async () => {
    spec = await createOpenApiValidator({
      mendKnownGaps: false,
      checkDefinition: true,
    });
    emulator = await DoEmulator.start({
      validateResponses: true,
      gcStepMs: 60_000,
      seed: {
        account: { takenNames: ['taken'] },
        clusters: [
          { id: CLUSTER_A, name: 'staging' },
          { id: CLUSTER_B, name: 'prod' },
        ],
        apps: [
          {
            spec: {
              name: 'status',
              services: [
                {
                  name: 'web',
                  image: {
                    registry_type: 'DOCKER_HUB',
                    registry: 'library',
                    repository: 'nginx',
                    tag: '1.27',
                  },
                },
              ],
            },
          },
        ],
      },
    });
    const validatingFetch: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      const method = (init?.method ?? 'GET').toLowerCase();
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const body = init?.body
        ? JSON.parse(Buffer.from(init.body as ArrayBuffer).toString('utf8'))
        : undefined;
      const request = {
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams.entries()),
        headers,
        body,
      };
      const operation = spec.matchOperation(request);
      if (!operation) {
        problems.push(
          `${method.toUpperCase()} ${url.pathname} matches no operation of the spec`,
        );
      } else {
        validated.add(operation.operationId!);
        const result = spec.validateRequest(request, operation);
        const errors = (result.errors ?? [])
          .map(
            e => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`,
          )
          .filter(
            message => !KNOWN_GAPS[operation.operationId!]?.test(message),
          );
        if (errors.length)
          problems.push(`${operation.operationId}: ${errors.join('; ')}`);
        if (headers.authorization !== 'Bearer contract-token') {
          problems.push(`${operation.operationId}: no bearer token`);
        }
      }
      return fetch(input, init);
    };
    client = new DigitalOceanClient({
      token: 'contract-token',
      apiUrl: emulator.url,
      fetch: validatingFetch,
      maxRetries: 0,
    });
  });

  afterAll(() => emulator.stop());

  it('covers the deprecated single-registry API', async () => {
    const raw = client.raw;
    const expectOk = async (
      call: Promise<{ response: Response; error?: unknown }>,
    ) => {
      const { response, error } = await call;
      expect({ status: response.status, error }).toEqual({
        status: expect.any(Number),
        error: undefined,
      });
      return response;
    };
    await expectOk(
      raw.POST('/v2/registry/validate-name', { body: { name: 'solo' } }),
    );
    await expectOk(raw.GET('/v2/registry/options'));
    await expectOk(
      raw.POST('/v2/registry', {
        body: { name: 'solo', subscription_tier_slug: 'basic', region: 'fra1' },
      }),
    );
    await expectOk(raw.GET('/v2/registry'));
    await expectOk(raw.GET('/v2/registry/subscription'));
    await expectOk(
      raw.POST('/v2/registry/subscription', { body: { tier_slug: 'basic' } }),
    );
    await expectOk(
      raw.GET('/v2/registry/docker-credentials', {
        params: { query: { read_write: false, expiry_seconds: 600 } },
      }),
    );

    emulator.push('solo', 'web', 'latest', [{ size: 10_000 }]);
    const { digest } = emulator.push('solo', 'web', 'latest', [
      { size: 12_000 },
    ]);
    emulator.push('solo', 'web', 'v1', [{ size: 9_000 }]);
    const path = { registry_name: 'solo' };
    const repoPath = { registry_name: 'solo', repository_name: 'web' };
    await expectOk(
      raw.GET('/v2/registry/{registry_name}/repositories', {
        params: { path, query: { per_page: 200 } },
      }),
    );
    await expectOk(
      raw.GET('/v2/registry/{registry_name}/repositoriesV2', {
        params: { path, query: { per_page: 200 } },
      }),
    );
    await expectOk(
      raw.GET(
        '/v2/registry/{registry_name}/repositories/{repository_name}/tags',
        { params: { path: repoPath } },
      ),
    );
    await expectOk(
      raw.GET(
        '/v2/registry/{registry_name}/repositories/{repository_name}/digests',
        { params: { path: repoPath } },
      ),
    );
    await expectOk(
      raw.DELETE(
        '/v2/registry/{registry_name}/repositories/{repository_name}/tags/{repository_tag}',
        { params: { path: { ...repoPath, repository_tag: 'v1' } } },
      ),
    );
    await expectOk(
      raw.DELETE(
        '/v2/registry/{registry_name}/repositories/{repository_name}/digests/{manifest_digest}',
        { params: { path: { ...repoPath, manifest_digest: digest } } },
      ),
    );
    const gc = await raw.POST(
      '/v2/registry/{registry_name}/garbage-collection',
      {
        params: { path },
        body: { type: 'untagged manifests and unreferenced blobs' },
      },
    );
    expect(gc.response.status).toBe(201);
    await expectOk(
      raw.GET('/v2/registry/{registry_name}/garbage-collection', {
        params: { path },
      }),
    );
    await expectOk(
      raw.GET('/v2/registry/{registry_name}/garbage-collections', {
        params: { path },
      }),
    );
    await expectOk(
      raw.PUT(
        '/v2/registry/{registry_name}/garbage-collection/{garbage_collection_uuid}',
        {
          params: {
            path: {
              ...path,
              garbage_collection_uuid: gc.data!.garbage_collection!.uuid!,
            },
          },
          body: { cancel: true },
        },
      ),
    );

    await client.addSoleRegistryToClusters([CLUSTER_A]);
    expect((await client.getCluster(CLUSTER_A)).registries).toEqual(['solo']);
    await client.removeSoleRegistryFromClusters([CLUSTER_A]);
    expect((await client.getCluster(CLUSTER_A)).registry_enabled).toBe(false);
    await expectOk(raw.DELETE('/v2/registry'));
  });

  it('covers the current multi-registry API through the client', async () => {
    expect(await client.isRegistryNameAvailable('taken')).toBe(false);
    expect(await client.isRegistryNameAvailable('acme')).toBe(true);
    const options = await client.getOptions();
    expect(options.subscription_tiers.map(t => t.slug)).toEqual([
      'starter',
      'basic',
      'professional',
    ]);
    expect(await client.getSubscription()).toBeUndefined();
    await client.createRegistry({
      name: 'acme',
      subscriptionTier: 'professional',
      region: 'fra1',
    });
    await client.createRegistry({ name: 'acme-two', region: 'ams3' });
    expect((await client.updateSubscription('professional')).tier?.slug).toBe(
      'professional',
    );
    expect((await client.getSubscription())?.tier?.slug).toBe('professional');
    expect(
      (await client.listRegistries()).map(r => [r.name, r.region]),
    ).toEqual([
      ['acme', 'fra1'],
      ['acme-two', 'ams3'],
    ]);
    expect((await client.getRegistry('acme')).name).toBe('acme');
    expect(await client.findRegistry('missing')).toBeUndefined();

    const credentials = await client.getDockerCredentials('acme', {
      expirySeconds: 3600,
    });
    expect(credentials.auths?.['registry.digitalocean.com']?.auth).toEqual(
      expect.any(String),
    );
    expect(emulator.account.issuedCredentials.at(-1)).toMatchObject({
      registryName: 'acme',
      readWrite: false,
      expirySeconds: 3600,
    });

    emulator.push('acme', 'team/web', 'latest', [{ size: 10_000 }]);
    const { digest } = emulator.push('acme', 'team/web', 'latest', [
      { size: 11_000 },
    ]);
    emulator.push('acme', 'api', 'v1', [{ size: 5_000 }]);
    expect((await client.listRepositories('acme')).map(r => r.name)).toEqual([
      'api',
      'team/web',
    ]);
    expect((await client.listTags('acme', 'team/web')).map(t => t.tag)).toEqual(
      ['latest'],
    );
    expect(await client.listManifests('acme', 'team/web')).toHaveLength(2);
    await client.deleteTag('acme', 'api', 'v1');
    await client.deleteManifest('acme', 'team/web', digest);
    await client.deleteRepository('acme', 'api');

    const gc = await client.startGarbageCollection('acme');
    expect(emulator.account.getRegistry('acme').gcRuns[0].type).toBe(
      'untagged manifests and unreferenced blobs',
    );
    expect((await client.getActiveGarbageCollection('acme'))?.uuid).toBe(
      gc.uuid,
    );
    expect(
      (await client.listGarbageCollections('acme')).map(r => r.uuid),
    ).toEqual([gc.uuid]);
    expect(
      (await client.cancelGarbageCollection('acme', gc.uuid!)).status,
    ).toBe('cancelling');

    expect((await client.listClusters()).map(c => c.name)).toEqual([
      'prod',
      'staging',
    ]);
    await client.addRegistriesToClusters(
      [CLUSTER_A, CLUSTER_B],
      ['acme', 'acme-two'],
    );
    expect((await client.getCluster(CLUSTER_B)).registries).toEqual([
      'acme',
      'acme-two',
    ]);
    await client.removeRegistriesFromClusters([CLUSTER_B], ['acme-two']);
    expect((await client.getCluster(CLUSTER_B)).registries).toEqual(['acme']);
    const clusterCredentials = await client.getClusterCredentials(CLUSTER_B);
    expect(clusterCredentials.server).toBe(
      `${emulator.kubernetesUrl}/clusters/${CLUSTER_B}`,
    );
    expect(
      Buffer.from(
        clusterCredentials.certificate_authority_data!,
        'base64',
      ).toString(),
    ).toContain('-----BEGIN CERTIFICATE-----');
    expect((await client.listRegions()).map(r => r.slug)).toContain('fra1');
    await client.deleteRegistry('acme-two');
    expect((await client.listRegistries()).map(r => r.name)).toEqual(['acme']);
  });

  it('covers the App Platform API through the client', async () => {
    const [app] = await client.listApps();
    expect((await client.getApp(app.id!)).spec.name).toBe('status');
    const [deployment] = await client.listAppDeployments(app.id!);
    expect((await client.getAppDeployment(app.id!, deployment.id!)).phase).toBe(
      'ACTIVE',
    );
  });

  it('sent only requests that validate, and called every operation of the spec', () => {
    expect(problems).toEqual([]);
    const published = loadOpenApiSpec() as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const all = Object.values(published.paths).flatMap(item =>
      Object.values(item)
        .map(op => op.operationId)
        .filter((id): id is string => Boolean(id)),
    );
    expect(all).toHaveLength(49);
    expect([...validated].sort()).toEqual([...all].sort());
  });
});
