import type express from 'express';
import { typedRouter, type ApiRequest } from './typedRouter';
import type { PolicyResolver } from '../policies';
import type { RepositoryCache } from '../repositories/RepositoryCache';
import { previewRetention } from '../retention/preview';
import type { KnownRegistries } from './knownRegistries';
import type { AccountImageGraphs } from '../accountScopes';

/**
 * The retention preview of a registry: what its rules would delete now, from the cache of its
 * repositories, tags and manifests. A registry not fully listed yet answers 503 (and is listed in
 * the background), as does one whose images were never read through the registry host; the
 * request never calls DigitalOcean or the registry host.
 */
export function retentionRoutes(deps: {
  /** The registry name of a caller allowed to read it (403 otherwise). */
  reader: (req: ApiRequest<{ name: string }>) => Promise<string>;
  registries: KnownRegistries;
  cache: RepositoryCache;
  policies: PolicyResolver;
  now: () => Date;
  deletesInWindows: boolean;
  listNow?: () => Promise<void>;
  /** The image graphs of the cached listings; without, the preview selects on the listing alone. */
  imageGraphs?: AccountImageGraphs;
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
    await deps.registries.require(name, deps.listNow);
    if (deps.coldPreviews && !deps.cache.holdsContents(name))
      deps.coldPreviews.charge(await deps.coldPreviews.userOf(req), name);
    const contents = deps.cache.registryContents(name);
    const graphs = deps.imageGraphs?.forPreview(name, contents);
    res.json(
      previewRetention({
        registry: name,
        contents,
        effective: await deps.policies.resolve(name),
        now: deps.now(),
        deletesInWindows: deps.deletesInWindows,
        graphs,
      }),
    );
  });

  return router;
}
