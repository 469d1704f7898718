import type express from 'express';
import { typedRouter, type ApiRequest } from './typedRouter';
import { z } from 'zod';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  MAX_LISTING_LIMIT,
  RepositoryTagView,
  describeValidationIssues,
} from '@backstage-docr/plugin-docr-common';
import type { RepositoryCache } from '../repositories/RepositoryCache';
import {
  presentPage,
  presentRepository,
  presentTag,
} from '../repositories/presenters';
import type { KnownRegistries } from './KnownRegistries';
import type { AccountImageGraphs } from '../accountScopes';
import type { RepositoryGraph } from '../retention/graph';
import { tagImage } from '../retention/tagImage';
import type { ImagesInUseCache } from '../inUse/ImagesInUseCache';
import { tagsInUseViews } from '../inUse/tagInUse';

/** The tag with what its image is, when its repository's graph was read. */
function withImage(view: RepositoryTagView, graph?: RepositoryGraph) {
  const image = tagImage(graph, view.digest);
  return image ? { ...view, image } : view;
}

const listingQuerySchema = z.object({
  q: z.string().max(200).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_LISTING_LIMIT).default(50),
});

function listingQuery(req: ApiRequest) {
  const query = listingQuerySchema.safeParse(req.query);
  if (!query.success)
    throw new InputError(describeValidationIssues(query.error).join('; '));
  return query.data;
}

/**
 * Has the repository's images read in the background once its tags and manifests are both
 * listed, for a later page's `image`s; never waits, and never fails the listing. Returns whether
 * a later ask may know more of its images: being listed or read, not failing or gone.
 */
function readImagesSoon(
  deps: { cache: RepositoryCache; imageGraphs?: AccountImageGraphs },
  registry: string,
  repository: string,
): boolean {
  if (!deps.imageGraphs) return false;
  try {
    deps.imageGraphs.readSoon(registry, {
      name: repository,
      tags: deps.cache.tags(registry, repository).items,
      manifests: deps.cache.manifests(registry, repository).items,
    });
  } catch (error) {
    // Still being listed (503); gone (404) or its listing failed: a later page reads them.
    return error instanceof ServiceUnavailableError;
  }
  return deps.imageGraphs.pending(registry, repository);
}

/**
 * Repositories and tags of a registry, from the cache: a registry not listed yet answers 503
 * (and is listed in the background), never a call to DigitalOcean from the request.
 */
export function repositoryRoutes(deps: {
  /** The registry name of a caller allowed to read it (403 otherwise). */
  reader: (req: ApiRequest<{ name: string }>) => Promise<string>;
  registries: KnownRegistries;
  cache: RepositoryCache;
  listNow?: () => Promise<void>;
  /** The image graphs as last read (never read from a request). */
  imageGraphs?: AccountImageGraphs;
  /** What runs where, as last read (never read from a request). */
  imagesInUse?: Pick<ImagesInUseCache, 'forPages'>;
}): express.Router {
  const { reader, registries, cache } = deps;
  const router = typedRouter();

  async function knownRegistry(req: ApiRequest<{ name: string }>) {
    const name = await reader(req);
    await registries.require(name, deps.listNow);
    return name;
  }

  router.get('/registries/:name/repositories', async (req, res) => {
    const name = await knownRegistry(req);
    const query = listingQuery(req);
    res.json(
      presentPage(
        cache.repositories(name),
        presentRepository,
        r => r.name,
        query,
      ),
    );
  });

  router.get(
    '/registries/:name/repositories/:repository/tags',
    async (req, res) => {
      const name = await knownRegistry(req);
      const query = listingQuery(req);
      const { repository } = req.params;
      const listed = cache
        .repositories(name)
        .items.some(r => r.name === repository);
      if (!listed)
        throw new NotFoundError(
          `No repository named "${repository}" in the listing of "${name}"`,
        );
      const graph = deps.imageGraphs?.graphOf(name, repository);
      const imagesPending = readImagesSoon(deps, name, repository);
      const tags = cache.tags(name, repository);
      const inUse = tagsInUseViews(
        deps.imagesInUse?.forPages(),
        name,
        repository,
        tags.items.map(t => ({
          tag: t.tag ?? '',
          digest: t.manifest_digest ?? '',
        })),
        graph,
      );
      res.json({
        ...presentPage(
          tags,
          tag => {
            const view = withImage(presentTag(tag), graph);
            return inUse ? { ...view, inUse: inUse.get(view.tag) ?? [] } : view;
          },
          t => t.tag,
          query,
        ),
        imagesPending,
      });
    },
  );

  return router;
}
