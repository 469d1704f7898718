/** Distribution's grammar for a repository name's path components. */
const REPOSITORY =
  /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const REGISTRY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/**
 * `/v2/<registry>/<repository>/<endpoint>/<reference>`, after checking each part against
 * distribution's grammar, so no name can make the path point elsewhere.
 */
export function validatedPath(
  registry: string,
  repository: string,
  endpoint: 'manifests' | 'referrers' | 'tags',
  reference: string,
): string {
  if (!REGISTRY.test(registry))
    throw new TypeError(`"${registry}" is not a registry name`);
  if (!REPOSITORY.test(repository))
    throw new TypeError(`"${repository}" is not a repository name`);
  const valid =
    endpoint === 'tags'
      ? reference === 'list'
      : DIGEST.test(reference) ||
        (endpoint === 'manifests' && TAG.test(reference));
  if (!valid) throw new TypeError(`"${reference}" is not a tag or digest`);
  return `/v2/${registry}/${repository}/${endpoint}/${reference}`;
}

/**
 * The query of the next page named by a `Link: <...>; rel="next"` header, keeping only the
 * parameters given (the host or path of a link is never followed: requests go to our registry
 * host only). Undefined on the last page, or when the link would ask for the same page again.
 */
export function nextPageQuery(
  link: string | null,
  current: URLSearchParams,
  keep: readonly string[],
): URLSearchParams | undefined {
  const target = link
    ?.split(',')
    .find(part => /;\s*rel="?next"?/i.test(part))
    ?.match(/<([^>]*)>/)?.[1];
  if (!target) return undefined;
  const params = new URL(target, 'http://link.invalid').searchParams;
  const next = new URLSearchParams();
  for (const key of keep) {
    const value = params.get(key) ?? current.get(key);
    if (value !== null) next.set(key, value);
  }
  return next.toString() === current.toString() ? undefined : next;
}
