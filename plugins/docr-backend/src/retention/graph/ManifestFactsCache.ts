import type { ManifestFacts } from './model';

/** How many manifests' facts are held by default (a few hundred bytes each). */
export const DEFAULT_MANIFEST_FACTS_LIMIT = 50_000;

/**
 * Manifest facts by digest, across runs and repositories: a digest names its bytes, so what was
 * read once never needs reading again. Bounded, least recently used first out. Only manifests
 * that were read are held: an unreadable one is asked for again next time.
 */
export class ManifestFactsCache {
  private readonly facts = new Map<string, ManifestFacts>();

  constructor(readonly limit: number = DEFAULT_MANIFEST_FACTS_LIMIT) {}

  get size(): number {
    return this.facts.size;
  }

  get(digest: string): ManifestFacts | undefined {
    const held = this.facts.get(digest);
    if (held) {
      // Insertion order is recency: a read moves the digest to the end.
      this.facts.delete(digest);
      this.facts.set(digest, held);
    }
    return held;
  }

  set(digest: string, facts: ManifestFacts): void {
    this.facts.delete(digest);
    this.facts.set(digest, facts);
    while (this.facts.size > this.limit) {
      const oldest = this.facts.keys().next().value as string;
      this.facts.delete(oldest);
    }
  }
}
