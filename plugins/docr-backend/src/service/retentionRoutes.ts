import type express from 'express';
import { z } from 'zod';
import { ConflictError, InputError } from '@backstage/errors';
import {
  RetentionPreviewView,
  describeValidationIssues,
} from '@backstage-docr/plugin-docr-common';
import { typedRouter, type ApiRequest } from './typedRouter';
import type { PolicyResolver } from '../PolicyResolver';
import type { RepositoryCache } from '../repositories/RepositoryCache';
import { WholePreview, previewRetention } from '../retention/preview';
import type { PreviewCache } from '../retention/PreviewCache';
import type { KnownRegistries } from './KnownRegistries';
import type { AccountImageGraphs } from '../accountScopes';
import type { ImagesInUseCache } from '../inUse/ImagesInUseCache';

const pageSchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  version: z.string().max(100).optional(),
});

function page(
  view: WholePreview,
  version: string,
  { offset, limit }: { offset: number; limit: number },
): RetentionPreviewView {
  return {
    ...view,
    version,
    offset,
    limit,
    totalRepositories: view.repositories.length,
    repositories: view.repositories.slice(offset, offset + limit),
  };
}

/**
 * The retention preview of a registry: what its rules would delete now, from the cache of its
 * repositories, tags and manifests, computed once per listing and rules version and served a page
 * of repositories at a time. A registry not fully listed yet answers 503 (and is listed in the
 * background, the user charged for making it cold), as does one whose images were never read
 * through the registry host; the request never calls DigitalOcean or the registry host.
 */
export function retentionRoutes(deps: {
  /** The registry name of a caller allowed to read it (403 otherwise). */
  reader: (req: ApiRequest<{ name: string }>) => Promise<string>;
  registries: KnownRegistries;
  cache: RepositoryCache;
  policies: PolicyResolver;
  previews: PreviewCache;
  now: () => Date;
  deletesInWindows: boolean;
  listNow?: () => Promise<void>;
  /** The image graphs of the cached listings; without, the preview selects on the listing alone. */
  imageGraphs?: AccountImageGraphs;
  /** What runs where, as last read (never read from a request): kept by the preview. */
  imagesInUse?: Pick<ImagesInUseCache, 'forPages'>;
  /** A preview of a registry whose listings are not held lists it: limited per user. */
  coldPreviews?: {
    /** Charges the user for the registry's cold preview, or throws 429. */
    charge: (user: string, registry: string) => void;
    userOf: (req: ApiRequest) => Promise<string>;
  };
}): express.Router {
  const router = typedRouter();

  router.get('/registries/:name/retention/preview', async (req, res) => {
    const name = await deps.reader(req);
    const query = pageSchema.safeParse(req.query);
    if (!query.success)
      throw new InputError(describeValidationIssues(query.error).join('; '));
    const { version } = query.data;
    if (version !== undefined) {
      const held = deps.previews.version(name, version);
      if (!held)
        throw new ConflictError(
          `The retention preview of "${name}" changed since version ${version} (a new listing, new image graphs or new rules); read it again from its first page, without version`,
        );
      res.json(page(held, version, query.data));
      return;
    }
    await deps.registries.require(name, deps.listNow);
    if (deps.coldPreviews && !deps.cache.holdsContents(name))
      deps.coldPreviews.charge(await deps.coldPreviews.userOf(req), name);
    const contents = deps.cache.registryContents(name);
    const graphs = deps.imageGraphs?.forPreview(name, contents);
    const effective = await deps.policies.resolve(name);
    const imagesInUse = deps.imagesInUse?.forPages();
    const current = deps.previews.current(
      name,
      {
        contents,
        graphs,
        // A new read of what runs makes a new preview, as new rules do.
        rules: JSON.stringify([effective, imagesInUse?.readAt]),
      },
      () =>
        previewRetention({
          registry: name,
          contents,
          effective,
          now: deps.now(),
          deletesInWindows: deps.deletesInWindows,
          graphs,
          imagesInUse,
        }),
    );
    res.json(page(current.view, current.version, query.data));
  });

  return router;
}
