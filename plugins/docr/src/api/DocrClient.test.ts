import { DocrClient } from './DocrClient';

describe('DocrClient', () => {
  const calls: string[] = [];
  let answer = () => new Response('{"items":[]}', { status: 200 });
  const client = new DocrClient({
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/docr' },
    fetchApi: {
      fetch: async (url: any, init?: RequestInit) => {
        const body = init?.body ? ` ${init.body}` : '';
        calls.push(`${init?.method} ${url}${body}`);
        return answer();
      },
    },
  });

  beforeEach(() => {
    calls.length = 0;
    answer = () => new Response('{"items":[]}', { status: 200 });
  });

  it("asks for a registry under its account's path, or at the root for the default account", async () => {
    await client.getRegistry({ name: 'acme-prod', account: 'team-b' });
    await client.getRegistry({ name: 'acme-prod' });
    await client.listTags({ name: 'acme-prod', account: 'team-b' }, 'a/b', {
      q: 'sha',
    });
    await client.checkRegistryName('acme-new', 'team-b');
    expect(calls).toEqual([
      'GET http://backend/api/docr/accounts/team-b/registries/acme-prod',
      'GET http://backend/api/docr/registries/acme-prod',
      'GET http://backend/api/docr/accounts/team-b/registries/acme-prod/repositories/a%2Fb/tags?q=sha',
      'POST http://backend/api/docr/accounts/team-b/registry-names/check {"name":"acme-new"}',
    ]);
  });

  it('sends each call as the spec describes it (the generated client)', async () => {
    const prod = { name: 'acme-prod' };
    await client.listRuns(prod, { limit: 10, offset: 20 });
    expect(await client.getStorage(prod, 7)).toEqual([]);
    await client.startGc(prod);
    await client.cancelRun({ ...prod, account: 'team-b' }, 42);
    await client.listRepositories(prod, { q: '', offset: 0, limit: 50 });
    await client.getRetentionPreview(prod);
    await client.checkRegistryName('acme-new');
    expect(calls).toEqual([
      'GET http://backend/api/docr/registries/acme-prod/gc-runs?limit=10&offset=20',
      'GET http://backend/api/docr/registries/acme-prod/storage?days=7',
      'POST http://backend/api/docr/registries/acme-prod/gc-runs {}',
      'POST http://backend/api/docr/accounts/team-b/registries/acme-prod/gc-runs/42/cancel {}',
      'GET http://backend/api/docr/registries/acme-prod/repositories?offset=0&limit=50',
      'GET http://backend/api/docr/registries/acme-prod/retention/preview',
      'POST http://backend/api/docr/registry-names/check {"name":"acme-new"}',
    ]);
  });

  it("throws the backend's error as a ResponseError", async () => {
    answer = () =>
      new Response(
        JSON.stringify({
          error: {
            name: 'InputError',
            message: 'request/query/days must be >= 1',
          },
          request: { method: 'GET', url: '/registries/acme-prod/storage' },
          response: { statusCode: 400 },
        }),
        { status: 400, headers: { 'content-type': 'application/json' } },
      );
    await expect(
      client.getStorage({ name: 'acme-prod' }, 0),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      cause: { message: 'request/query/days must be >= 1' },
    });
  });
});
