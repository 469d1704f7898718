/** DigitalOcean Container Registry's host, as images on DOKS and App Platform name it. */
export const DOCR_HOST = 'registry.digitalocean.com';

/** An image of a DOCR registry, as a pod spec, a container status or an app names it. */
export interface DocrImageReference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * The registry, repository, tag and digest of an image of DOCR (`registry.digitalocean.com/
 * <registry>/<repository>[:tag][@sha256:…]`), or undefined for an image of another registry.
 * Container runtimes' prefixes (`docker-pullable://`, `docker://`) are dropped, as are digests
 * that are no sha256 digest.
 */
export function parseDocrImage(
  image: string | undefined,
): DocrImageReference | undefined {
  if (!image) return undefined;
  const bare = image.replace(/^[a-z-]+:\/\//, '');
  if (!bare.startsWith(`${DOCR_HOST}/`)) return undefined;
  const path = bare.slice(DOCR_HOST.length + 1);
  const at = path.indexOf('@');
  const named = at >= 0 ? path.slice(0, at) : path;
  const digest = at >= 0 ? path.slice(at + 1) : undefined;
  const slash = named.indexOf('/');
  if (slash <= 0) return undefined;
  const registry = named.slice(0, slash);
  let repository = named.slice(slash + 1);
  let tag: string | undefined;
  const colon = repository.lastIndexOf(':');
  if (colon > repository.lastIndexOf('/')) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
  }
  if (!repository) return undefined;
  if (digest !== undefined && !DIGEST.test(digest)) return undefined;
  return {
    registry,
    repository,
    ...(digest ? { digest } : { tag: tag ?? 'latest' }),
  };
}
