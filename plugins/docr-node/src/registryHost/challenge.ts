/** Where and for which service a registry host hands out bearer tokens. */
export interface BearerChallenge {
  realm: string;
  service?: string;
}

/**
 * The Bearer challenge of a `WWW-Authenticate` header (RFC 6750 auth-params, as the docker
 * token authentication spec uses them), or undefined when it is not a Bearer challenge.
 */
export function parseBearerChallenge(
  header: string | null,
): BearerChallenge | undefined {
  const match = header?.match(/^\s*Bearer\s+(.*)$/i);
  if (!match) return undefined;
  const params = new Map<string, string>();
  const param = /([a-zA-Z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const [, name, quoted, bare] of match[1].matchAll(param)) {
    params.set(name.toLowerCase(), quoted?.replace(/\\(.)/g, '$1') ?? bare);
  }
  const realm = params.get('realm');
  if (!realm) return undefined;
  return { realm, service: params.get('service') };
}

/**
 * Credentials go only to the registry host itself or to DigitalOcean's API (the real registry
 * host's realm is https://api.digitalocean.com/v2/registry/auth): a challenge naming any other
 * host is refused, whatever the registry host says.
 */
export function isTrustedRealm(
  realm: string,
  trustedOrigins: readonly string[],
): boolean {
  try {
    const url = new URL(realm);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
    return trustedOrigins.includes(url.origin);
  } catch {
    return false;
  }
}
