import { DocrClient } from './DocrClient';

describe('DocrClient', () => {
  const calls: string[] = [];
  const client = new DocrClient({
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/docr' },
    fetchApi: {
      fetch: async (url: any) => {
        calls.push(String(url));
        return new Response('{"items":[]}', { status: 200 });
      },
    },
  });

  beforeEach(() => {
    calls.length = 0;
  });

  it("asks for a registry under its account's path, or at the root for the default account", async () => {
    await client.getRegistry({ name: 'acme-prod', account: 'team-b' });
    await client.getRegistry({ name: 'acme-prod' });
    await client.listTags({ name: 'acme-prod', account: 'team-b' }, 'a/b', {
      q: 'sha',
    });
    await client.checkRegistryName('acme-new', 'team-b');
    expect(calls).toEqual([
      'http://backend/api/docr/accounts/team-b/registries/acme-prod',
      'http://backend/api/docr/registries/acme-prod',
      'http://backend/api/docr/accounts/team-b/registries/acme-prod/repositories/a%2Fb/tags?q=sha',
      'http://backend/api/docr/accounts/team-b/registry-names/check',
    ]);
  });
});
