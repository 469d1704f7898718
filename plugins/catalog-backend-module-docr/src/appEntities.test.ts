import type { App, Registry } from '@backstage-docr/digitalocean-openapi';
import { appEntities, appImages } from './appEntities';

const context = {
  account: 'default',
  owner: 'group:default/platform',
  lifecycle: 'production',
};

const registry = (name: string, region: string): Registry => ({
  name,
  region,
});

function app(
  name: string,
  images: Array<Record<string, unknown>>,
  dataCenter = 'ams3',
): App {
  return {
    id: `id-${name}`,
    region: { slug: dataCenter.slice(0, 3), data_centers: [dataCenter] },
    spec: {
      name,
      services: images.map((image, i) => ({
        name: `c${i}`,
        image,
      })),
    },
  } as unknown as App;
}

describe('App Platform app entities', () => {
  it('reads the registry a DOCR image names, or the account’s only one, and leaves it unknown among several', () => {
    const spec = app('shop', [
      { registry_type: 'DOCR', repository: 'web' },
      { registry_type: 'DOCR', repository: 'api', digest: 'sha256:abc' },
    ]);
    expect(appImages(spec, [registry('acme', 'ams3')])).toEqual([
      {
        component: 'c0',
        kind: 'service',
        registry: 'acme',
        repository: 'web',
        tag: 'latest',
        deployOnPush: false,
      },
      {
        component: 'c1',
        kind: 'service',
        registry: 'acme',
        repository: 'api',
        digest: 'sha256:abc',
        deployOnPush: false,
      },
    ]);
    const several = [registry('a', 'ams3'), registry('b', 'fra1')];
    const [entity] = appEntities([spec], several, context);
    expect(entity.spec?.dependsOn).toEqual([]);
    expect(appImages(spec, several)[0].registry).toBeUndefined();
  });

  it('leaves out apps with no DOCR image of the account: Docker Hub only, or another account’s registry', () => {
    const registries = [registry('acme', 'ams3')];
    expect(
      appEntities(
        [
          app('hub', [
            {
              registry_type: 'DOCKER_HUB',
              registry: 'library',
              repository: 'nginx',
            },
          ]),
          app('elsewhere', [
            { registry_type: 'DOCR', registry: 'not-ours', repository: 'web' },
          ]),
          app('ours', [
            { registry_type: 'DOCR', registry: 'acme', repository: 'web' },
          ]),
        ],
        registries,
        context,
      ).map(e => e.metadata.name),
    ).toEqual(['doapp-ours']);
  });

  it('names an app whose name is too long for Backstage with a stable hash', () => {
    const long = 'a'.repeat(70);
    const [entity] = appEntities(
      [app(long, [{ registry_type: 'DOCR', repository: 'web' }])],
      [registry('acme', 'ams3')],
      context,
    );
    expect(entity.metadata.name.length).toBeLessThanOrEqual(63);
    expect(entity.metadata.name.startsWith('doapp-aaa')).toBe(true);
    expect(entity.metadata.title).toBe(long);
  });
});
