import type { RegistryContents } from '../repositories/RepositoryCache';
import { PreviewCache } from './PreviewCache';
import type { WholePreview } from './preview';

const contents = (tags: unknown[] = []): RegistryContents =>
  ({
    fetchedAt: new Date('2026-12-03T08:00:00Z'),
    repositories: [{ name: 'web', tags, manifests: [] }],
  }) as unknown as RegistryContents;

describe('PreviewCache', () => {
  let nowMs = Date.parse('2026-12-03T08:00:00Z');
  const cache = () =>
    new PreviewCache({
      maxAgeMs: 300_000,
      maxRegistries: 2,
      now: () => new Date(nowMs),
    });
  const compute = jest.fn(
    () => ({ registry: 'acme' }) as unknown as WholePreview,
  );

  beforeEach(() => {
    compute.mockClear();
    nowMs = Date.parse('2026-12-03T08:00:00Z');
  });

  it('computes once for the same listing and rules, and again for a new listing, new rules or an old preview', () => {
    const previews = cache();
    const listing = contents();
    const first = previews.current(
      'acme',
      { contents: listing, rules: 'a' },
      compute,
    );
    const again = previews.current(
      'acme',
      { contents: listing, rules: 'a' },
      compute,
    );
    expect(again.version).toBe(first.version);
    expect(compute).toHaveBeenCalledTimes(1);

    const relisted = previews.current(
      'acme',
      { contents: contents(), rules: 'a' },
      compute,
    );
    expect(relisted.version).not.toBe(first.version);
    const newRules = previews.current(
      'acme',
      { contents: contents(), rules: 'b' },
      compute,
    );
    expect(newRules.version).not.toBe(relisted.version);
    expect(compute).toHaveBeenCalledTimes(3);

    nowMs += 300_000;
    const aged = previews.current(
      'acme',
      { contents: contents(), rules: 'b' },
      compute,
    );
    expect(aged.version).not.toBe(newRules.version);
  });

  it('holds the two newest versions of a registry, and the most recently read registries', () => {
    const previews = cache();
    const v1 = previews.current(
      'acme',
      { contents: contents(), rules: '1' },
      compute,
    );
    const v2 = previews.current(
      'acme',
      { contents: contents(), rules: '2' },
      compute,
    );
    expect(previews.version('acme', v1.version)).toBeDefined();
    previews.current('acme', { contents: contents(), rules: '3' }, compute);
    expect(previews.version('acme', v1.version)).toBeUndefined();
    expect(previews.version('acme', v2.version)).toBeDefined();

    const other = previews.current(
      'beta',
      { contents: contents(), rules: '1' },
      compute,
    );
    previews.current('gamma', { contents: contents(), rules: '1' }, compute);
    expect(previews.version('beta', other.version)).toBeDefined();
    expect(previews.version('acme', v2.version)).toBeUndefined();
  });
});
