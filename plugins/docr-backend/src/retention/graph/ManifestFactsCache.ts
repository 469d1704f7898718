import type { BlobRef, ChildRef, ManifestFacts } from './model';

/**
 * About how many bytes of memory the facts held may take by default: some 200,000 manifests of
 * a few layers, or a handful of the largest (a 4 MiB manifest lists up to some 20,000 layers).
 */
export const DEFAULT_MANIFEST_FACTS_BYTES = 64 * 1024 * 1024;

/** A JavaScript object's own cost, before its fields' values, and a Map entry's. */
const OBJECT_BYTES = 64;
/** Strings are counted at two bytes a character (UTF-16), which V8 never exceeds. */
const text = (value: string | undefined) => (value ? 2 * value.length : 0);
const blob = (ref: BlobRef) =>
  OBJECT_BYTES + text(ref.digest) + text(ref.mediaType) + 8;
const child = (ref: ChildRef) =>
  OBJECT_BYTES + text(ref.digest) + text(ref.mediaType) + text(ref.platform);

/** About how much memory a digest's facts take once held: an estimate on the high side. */
export function approximateBytes(digest: string, facts: ManifestFacts): number {
  let bytes = 2 * OBJECT_BYTES + text(digest) + text(facts.mediaType);
  bytes += text(facts.artifactType) + text(facts.subject);
  if (facts.config) bytes += blob(facts.config);
  for (const layer of facts.layers) bytes += blob(layer) + 8;
  for (const ref of facts.children) bytes += child(ref) + 8;
  return bytes;
}

/**
 * Manifest facts by digest, across runs and repositories: a digest names its bytes, so what was
 * read once never needs reading again. Bounded by the memory the facts take (about: see
 * `approximateBytes`), least recently used first out; facts larger than the whole bound are not
 * held. Only manifests that were read are held: an unreadable one is asked for again next time.
 */
export class ManifestFactsCache {
  private readonly facts = new Map<
    string,
    { facts: ManifestFacts; bytes: number }
  >();
  private heldBytes = 0;

  constructor(readonly maxBytes: number = DEFAULT_MANIFEST_FACTS_BYTES) {}

  get size(): number {
    return this.facts.size;
  }

  /** About how many bytes the facts held take. */
  get bytes(): number {
    return this.heldBytes;
  }

  get(digest: string): ManifestFacts | undefined {
    const held = this.facts.get(digest);
    if (held) {
      // Insertion order is recency: a read moves the digest to the end.
      this.facts.delete(digest);
      this.facts.set(digest, held);
    }
    return held?.facts;
  }

  set(digest: string, facts: ManifestFacts): void {
    this.drop(digest);
    const bytes = approximateBytes(digest, facts);
    if (bytes > this.maxBytes) return;
    this.facts.set(digest, { facts, bytes });
    this.heldBytes += bytes;
    while (this.heldBytes > this.maxBytes)
      this.drop(this.facts.keys().next().value as string);
  }

  private drop(digest: string): void {
    const held = this.facts.get(digest);
    if (!held) return;
    this.facts.delete(digest);
    this.heldBytes -= held.bytes;
  }
}
