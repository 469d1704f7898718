import type { ImagesInUse, ImageUse } from '../inUse/types';
import {
  inUseReasons,
  previousReleasesKept,
  registryInUse,
  repositoryUses,
} from './inUseSelection';

const use = (fields: Partial<ImageUse>): ImageUse => ({
  registry: 'acme-prod',
  repository: 'web',
  tag: 'v1',
  kind: 'running',
  where: 'running in prod-ams3: shop/web-1',
  ...fields,
});

const read = (
  uses: ImageUse[],
  unreadable: ImagesInUse['unreadable'] = [],
): ImagesInUse => ({ readAt: new Date(0), uses, unreadable });

describe('what runs from a registry, as retention selects with it', () => {
  it('holds the registry back when a source pulling from it could not be read, unless the policy names it', () => {
    const unreadable = [
      {
        kind: 'cluster' as const,
        name: 'prod-ams3',
        registries: ['acme-prod'],
        reason: 'connect ECONNREFUSED',
      },
      {
        kind: 'cluster' as const,
        name: 'staging-fra1',
        registries: ['acme-staging'],
        reason: 'timeout',
      },
    ];
    expect(registryInUse(read([], unreadable), 'acme-prod').heldBack).toBe(
      'what runs could not be read (prod-ams3: connect ECONNREFUSED), so nothing of the registry is deleted',
    );
    expect(
      registryInUse(read([], unreadable), 'acme-prod', ['prod-ams3']).heldBack,
    ).toBeUndefined();
    expect(
      registryInUse(read([], unreadable), 'acme-dev').heldBack,
    ).toBeUndefined();
    // App Platform (or the cluster listing) pulls from any registry of the account.
    expect(
      registryInUse(
        read(
          [],
          [
            {
              kind: 'apps',
              name: 'App Platform',
              registries: ['*'],
              reason: '403',
            },
          ],
        ),
        'acme-dev',
      ).heldBack,
    ).toMatch(/^what runs could not be read \(App Platform: 403\)/);
  });

  it("takes the registry's uses, and an app's image naming no registry for every registry", () => {
    const uses = [
      use({}),
      use({ registry: 'acme-staging' }),
      use({ registry: '', kind: 'app', where: 'App Platform app a' }),
    ];
    expect(
      registryInUse(read(uses), 'acme-prod').uses.map(u => u.where),
    ).toEqual(['running in prod-ams3: shop/web-1', 'App Platform app a']);
  });

  it('keeps the previous releases the largest rule applying to the repository says, 2 by default', () => {
    expect(previousReleasesKept([], 'web')).toBe(2);
    expect(previousReleasesKept([{ keepNewest: 3 }], 'web')).toBe(2);
    expect(
      previousReleasesKept(
        [
          { keepNewest: 3, keepPreviousReleases: 0 },
          { repositories: ['web'], keepNewest: 1, keepPreviousReleases: 4 },
          { repositories: ['api'], keepNewest: 1, keepPreviousReleases: 9 },
        ],
        'web',
      ),
    ).toBe(4);
    const releases = [1, 2, 3].map(n =>
      use({ kind: 'previousRelease', previousRelease: n, tag: `v${n}` }),
    );
    expect(
      repositoryUses({ uses: releases }, 'web', [
        { keepNewest: 1, keepPreviousReleases: 1 },
      ]).map(u => u.tag),
    ).toEqual(['v1']);
    expect(
      repositoryUses({ uses: releases }, 'web', []).map(u => u.tag),
    ).toEqual(['v1', 'v2']);
  });

  it('says what runs first, one reason a place, at most five, the last counting the rest', () => {
    const reasons = inUseReasons([
      use({ kind: 'previousRelease', where: 'previous release 1 of x' }),
      ...[1, 2, 3, 4, 5, 6].map(n =>
        use({ where: `running in prod-ams3: shop/web-${n}` }),
      ),
      use({ where: 'running in prod-ams3: shop/web-1' }),
    ]);
    expect(reasons.map(r => (r.kind === 'inUse' ? r.where : ''))).toEqual([
      'running in prod-ams3: shop/web-1',
      'running in prod-ams3: shop/web-2',
      'running in prod-ams3: shop/web-3',
      'running in prod-ams3: shop/web-4',
      'running in prod-ams3: shop/web-5 (and 2 more)',
    ]);
  });
});
