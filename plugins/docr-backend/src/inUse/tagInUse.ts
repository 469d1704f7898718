import type { ImageInUseView } from '@backstage-docr/plugin-docr-common';
import type { RepositoryGraph } from '../retention/graph';
import { registryInUse, usesByTag } from '../retention/inUseSelection';
import type { ImagesInUse } from './types';

/** Places shown per tag at most. */
const MAX_PLACES = 20;

/**
 * Where each tag of a repository runs or is deployed from, as last read (see
 * `ImagesInUseCache.forPages`), for the tag listing: undefined until the account was read.
 */
export function tagsInUseViews(
  inUse: ImagesInUse | undefined,
  registry: string,
  repository: string,
  tags: Array<{ tag: string; digest: string }>,
  graph?: RepositoryGraph,
): Map<string, ImageInUseView[]> | undefined {
  if (!inUse) return undefined;
  const uses = registryInUse(inUse, registry).uses.filter(
    use => use.repository === repository,
  );
  const views = new Map<string, ImageInUseView[]>();
  for (const [tag, found] of usesByTag(tags, uses, graph)) {
    const byPlace = new Map<string, ImageInUseView>();
    for (const use of found)
      byPlace.set(use.where, {
        use: use.kind,
        where: use.where,
        ...(use.cluster ? { cluster: use.cluster } : {}),
        ...(use.namespace ? { namespace: use.namespace } : {}),
        ...(use.app ? { app: use.app } : {}),
      });
    views.set(tag, [...byPlace.values()].slice(0, MAX_PLACES));
  }
  return views;
}
