import { nextPageQuery, validatedPath } from './paths';

describe('validatedPath', () => {
  it('builds the distribution path of a nested repository', () => {
    expect(validatedPath('acme', 'team/web-app', 'manifests', 'v1.2.3')).toBe(
      '/v2/acme/team/web-app/manifests/v1.2.3',
    );
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(validatedPath('acme', 'web', 'referrers', digest)).toBe(
      `/v2/acme/web/referrers/${digest}`,
    );
  });

  it('refuses names that would change the path', () => {
    expect(() => validatedPath('acme', '../other', 'manifests', 'v1')).toThrow(
      /not a repository name/,
    );
    expect(() => validatedPath('acme', 'web', 'manifests', 'a/../b')).toThrow(
      /not a tag or digest/,
    );
    expect(() => validatedPath('acme', 'web', 'referrers', 'latest')).toThrow(
      /not a tag or digest/,
    );
    expect(() => validatedPath('Acme?x', 'web', 'tags', 'list')).toThrow(
      /not a registry name/,
    );
  });
});

describe('nextPageQuery', () => {
  const current = new URLSearchParams({ n: '2' });

  it('takes the next page parameters from the Link header, not its host', () => {
    const next = nextPageQuery(
      '<https://elsewhere.example/v2/acme/web/tags/list?n=2&last=b&x=1>; rel="next"',
      current,
      ['n', 'last'],
    );
    expect(next?.toString()).toBe('n=2&last=b');
  });

  it('ends on the last page and on a link to the same page', () => {
    expect(nextPageQuery(null, current, ['n', 'last'])).toBeUndefined();
    expect(
      nextPageQuery('</v2/acme/web/tags/list?n=2>; rel="next"', current, [
        'n',
        'last',
      ]),
    ).toBeUndefined();
  });
});
