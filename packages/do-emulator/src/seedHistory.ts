import type { Layer } from './model/registryStorage';
import { sha256Digest } from './model/registryStorage';

const MIB = 1024 ** 2;
const DAY_MS = 86_400_000;

/**
 * A repository's CI history: one `sha-<hex>` tag per commit, spread over `days` days before the
 * seed is applied, with releases and `latest`. Every commit's image is a base layer shared by
 * the registry's repositories, a dependencies layer that changes every `dependenciesEvery`
 * commits (so neighbouring commits share it) and a layer of its own. Everything is derived from
 * the names, so the same seed always makes the same tags, digests, sizes and push times.
 */
export interface SeedCiHistory {
  repository: string;
  commits: number;
  days: number;
  /** Every n-th commit is also tagged `v1.<k>.0` (k = 1, 2 …) and `latest` moves to it. */
  releaseEvery?: number;
  /** Default 80. */
  baseLayerMiB?: number;
  /** Default 40. */
  dependenciesLayerMiB?: number;
  /** Default 10. */
  dependenciesEvery?: number;
  /** The mean size of a commit's own layer (0.5 to 1.5 times it); default 15. */
  appLayerMiB?: number;
}

export interface SeedPush {
  repository: string;
  tag: string;
  layers: Layer[];
  pushedAt: number;
}

/** A number in [0, 1) from the text, the same every time. */
function fraction(text: string): number {
  return parseInt(sha256Digest(text).slice(7, 15), 16) / 2 ** 32;
}

/** The `sha-<hex>` tag of the repository's i-th commit. */
export function commitTag(
  registry: string,
  repository: string,
  i: number,
): string {
  return `sha-${sha256Digest(`${registry}/${repository}#${i}`).slice(7, 19)}`;
}

/** The history's pushes, oldest first; `now` is when the seed is applied. */
export function ciHistoryPushes(
  registry: string,
  history: SeedCiHistory,
  now: number,
): SeedPush[] {
  const { repository, commits, days } = history;
  const every = Math.max(1, history.dependenciesEvery ?? 10);
  const spacing = (days * DAY_MS) / Math.max(1, commits);
  const start = now - days * DAY_MS;
  const pushes: SeedPush[] = [];
  let release = 0;
  for (let i = 0; i < commits; i++) {
    const id = `${registry}/${repository}#${i}`;
    const pushedAt = Math.round(start + (i + 0.8 * fraction(id)) * spacing);
    const layers: Layer[] = [
      {
        digest: sha256Digest(`${registry}:base`),
        size: Math.round((history.baseLayerMiB ?? 80) * MIB),
      },
      {
        digest: sha256Digest(
          `${registry}/${repository}:dependencies-${Math.floor(i / every)}`,
        ),
        size: Math.round((history.dependenciesLayerMiB ?? 40) * MIB),
      },
      {
        digest: sha256Digest(`${id}:app`),
        size: Math.round(
          (history.appLayerMiB ?? 15) * MIB * (0.5 + fraction(`${id}:size`)),
        ),
      },
    ];
    const tag = commitTag(registry, repository, i);
    pushes.push({ repository, tag, layers, pushedAt });
    if (history.releaseEvery && (i + 1) % history.releaseEvery === 0) {
      release += 1;
      // Released a little after its commit was built, well before the next commit.
      const releasedAt = pushedAt + Math.min(10 * 60_000, spacing / 10);
      for (const releaseTag of [`v1.${release}.0`, 'latest'])
        pushes.push({
          repository,
          tag: releaseTag,
          layers,
          pushedAt: releasedAt,
        });
    }
  }
  return pushes;
}
