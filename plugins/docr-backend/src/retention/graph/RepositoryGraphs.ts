import type { RepositoryContents } from '../../repositories/RepositoryCache';
import { ManifestFactsCache } from './ManifestFactsCache';
import type { RepositoryGraph } from './model';
import { ManifestReader, readRepositoryGraph } from './readRepositoryGraph';

/**
 * The graphs of a registry's repositories, for the retention run and its preview: one facts
 * cache for every account and run (digests name their bytes), each account's manifests read
 * through its own registry host client (`DigitalOceanAccounts.registryHost(account)`).
 */
export class RepositoryGraphs {
  private readonly cache: ManifestFactsCache;

  constructor(
    private readonly deps: {
      registryHost: (account: string) => ManifestReader;
      cache?: ManifestFactsCache;
    },
  ) {
    this.cache = deps.cache ?? new ManifestFactsCache();
  }

  /**
   * Each repository's graph, by repository name, read one repository after another; `wrap`
   * puts each read of the account's client inside the caller's bounds (a retention run's budget).
   */
  async readRegistry(
    account: string,
    registry: string,
    repositories: RepositoryContents[],
    signal?: AbortSignal,
    wrap?: (reader: ManifestReader) => ManifestReader,
  ): Promise<Map<string, RepositoryGraph>> {
    const client = this.deps.registryHost(account);
    const reader = wrap ? wrap(client) : client;
    const graphs = new Map<string, RepositoryGraph>();
    for (const contents of repositories) {
      signal?.throwIfAborted();
      graphs.set(
        contents.name,
        await readRepositoryGraph({
          registry,
          contents,
          reader,
          cache: this.cache,
          signal,
        }),
      );
    }
    return graphs;
  }
}
