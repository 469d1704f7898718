import type { RepositoryTag } from '@backstage-docr/digitalocean-openapi';
import {
  type DigitalOceanClient,
  isNotFoundError,
} from '@backstage-docr/plugin-docr-node';
import type { RepositoryContents } from '../repositories/RepositoryCache';
import { type GuardedResult, type RunGuard, listingPages } from './RunGuard';

/**
 * Every repository's tags and manifests (with their blobs), listed now from DigitalOcean, not
 * from the repository cache: what retention deletes is decided on what is there. A repository
 * deleted between the listing of the registry and its own is left out. A 404 for the registry
 * is thrown (the caller knows what a gone registry means).
 */
export async function listRegistryNow(
  client: DigitalOceanClient,
  guard: RunGuard,
  registryName: string,
): Promise<GuardedResult<RepositoryContents[]>> {
  const listed = await guard.call(
    `listing the repositories of ${registryName}`,
    signal => client.listRepositories(registryName, { signal }),
    listingPages,
  );
  if (listed.stoppedBy) return listed;
  const names = listed.value.map(r => r.name ?? '').sort();
  const repositories: RepositoryContents[] = [];
  for (const name of names) {
    const tags = await listTagsNow(client, guard, registryName, name);
    if (tags.stoppedBy) return tags;
    if (!tags.value) continue;
    const manifests = await guard.call(
      `listing the manifests of ${registryName}/${name}`,
      signal =>
        client.listManifests(registryName, name, { signal }).catch(error => {
          if (isNotFoundError(error)) return undefined;
          throw error;
        }),
      listingPages,
    );
    if (manifests.stoppedBy) return manifests;
    if (!manifests.value) continue;
    repositories.push({ name, tags: tags.value, manifests: manifests.value });
  }
  return { value: repositories };
}

/** The repository's tags now; undefined when DigitalOcean has no such repository (any more). */
export function listTagsNow(
  client: DigitalOceanClient,
  guard: RunGuard,
  registryName: string,
  repository: string,
): Promise<GuardedResult<RepositoryTag[] | undefined>> {
  return guard.call(
    `listing the tags of ${registryName}/${repository}`,
    signal =>
      client.listTags(registryName, repository, { signal }).catch(error => {
        if (isNotFoundError(error)) return undefined;
        throw error;
      }),
    listingPages,
  );
}
