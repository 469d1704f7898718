import {
  DEFAULT_MANIFEST_FACTS_BYTES,
  ManifestFactsCache,
  approximateBytes,
} from './ManifestFactsCache';
import type { ManifestFacts } from './model';

const LAYER_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

/** An image manifest's facts with `layers` layers. */
const facts = (layers: number): ManifestFacts => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: {
    digest: digest(1e9),
    mediaType: 'application/vnd.oci.image.config.v1+json',
    size: 1,
  },
  layers: Array.from({ length: layers }, (_, i) => ({
    digest: digest(i),
    mediaType: LAYER_TYPE,
    size: 1_000,
  })),
  children: [],
});

/**
 * The descriptors a manifest of 4 MiB can hold: each layer's JSON is about 150 bytes
 * (`{"mediaType":"…","digest":"sha256:…","size":N}`), so some 28,000 of them.
 */
const LARGEST_MANIFEST_LAYERS = Math.floor(
  (4 * 1024 * 1024) /
    JSON.stringify({ mediaType: LAYER_TYPE, digest: digest(0), size: 1_000 })
      .length,
);

describe('ManifestFactsCache', () => {
  it('drops the least recently used digests once the facts held pass its bytes', () => {
    const one = approximateBytes(digest(1), facts(3));
    const cache = new ManifestFactsCache(Math.floor(2.5 * one));
    cache.set(digest(1), facts(3));
    cache.set(digest(2), facts(3));
    cache.get(digest(1));
    cache.set(digest(3), facts(3));
    expect(
      [digest(1), digest(2), digest(3)].map(d => Boolean(cache.get(d))),
    ).toEqual([true, false, true]);
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBe(2 * one);
    // Set again, a digest is counted once.
    cache.set(digest(3), facts(3));
    expect(cache.bytes).toBe(2 * one);
  });

  it('counts a manifest by its descriptors, so the largest manifests fill it as they would memory', () => {
    const largest = approximateBytes(digest(1), facts(LARGEST_MANIFEST_LAYERS));
    expect(LARGEST_MANIFEST_LAYERS).toBeGreaterThan(20_000);
    // At least the manifest's own size: facts keep every layer's digest and media type.
    expect(largest).toBeGreaterThan(4 * 1024 * 1024);

    // The default bound holds a handful of them, never hundreds.
    const fitting = Math.floor(DEFAULT_MANIFEST_FACTS_BYTES / largest);
    expect(fitting).toBeGreaterThanOrEqual(5);
    expect(fitting).toBeLessThanOrEqual(20);

    const cache = new ManifestFactsCache(Math.floor(3.5 * largest));
    const held = facts(LARGEST_MANIFEST_LAYERS);
    for (let n = 0; n < 6; n++) cache.set(digest(n), held);
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
    expect(cache.get(digest(5))).toBeDefined();
    expect(cache.get(digest(0))).toBeUndefined();
  });

  it('holds no facts larger than its whole bound, and keeps what it held', () => {
    const cache = new ManifestFactsCache(
      approximateBytes(digest(1), facts(100)),
    );
    cache.set(digest(1), facts(10));
    cache.set(digest(2), facts(1_000));
    expect(cache.get(digest(2))).toBeUndefined();
    expect(cache.get(digest(1))).toBeDefined();
    expect(cache.bytes).toBe(approximateBytes(digest(1), facts(10)));
  });
});
