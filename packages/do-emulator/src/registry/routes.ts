import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatedAccount, RegistryState } from '../model/account';
import { RegistryError } from '../model/registryErrors';
import type { Action } from './auth';

/** A request on one repository, `/v2/<registry>/<repository...>/...`, once authorized. */
export interface RepositoryCall {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  account: EmulatedAccount;
  registry: RegistryState;
  /** The repository's name inside the registry (it may contain `/`). */
  repository: string;
  /** `<registry>/<repository>`, as in the paths. */
  name: string;
}

export type RepositoryRoute =
  | { kind: 'manifest'; reference: string }
  | { kind: 'blob'; digest: string }
  | { kind: 'upload'; id?: string }
  | { kind: 'tags' }
  | { kind: 'referrers'; digest: string };

const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => RepositoryRoute]> = [
  [
    /^\/v2\/(.+)\/manifests\/([^/]+)$/,
    m => ({ kind: 'manifest', reference: m[2] }),
  ],
  [
    /^\/v2\/(.+)\/blobs\/uploads\/([^/]*)$/,
    m => ({ kind: 'upload', id: m[2] || undefined }),
  ],
  [/^\/v2\/(.+)\/blobs\/([^/]+)$/, m => ({ kind: 'blob', digest: m[2] })],
  [/^\/v2\/(.+)\/tags\/list$/, () => ({ kind: 'tags' })],
  [
    /^\/v2\/(.+)\/referrers\/([^/]+)$/,
    m => ({ kind: 'referrers', digest: m[2] }),
  ],
];

// A path component of the distribution spec's repository name grammar.
const COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;

/** The repository route of a path, with its `<registry>/<repository>` name; undefined if none. */
export function matchRepositoryRoute(
  pathname: string,
): { name: string; route: RepositoryRoute } | undefined {
  for (const [pattern, route] of PATTERNS) {
    const match = pattern.exec(pathname);
    if (!match) continue;
    const decoded = route(match);
    if ('reference' in decoded)
      decoded.reference = decodeURIComponent(decoded.reference);
    if ('digest' in decoded)
      decoded.digest = decodeURIComponent(decoded.digest);
    return { name: match[1], route: decoded };
  }
  return undefined;
}

/** `acme/team/web` → registry `acme`, repository `team/web`; NAME_INVALID when malformed. */
export function splitName(name: string) {
  const components = name.split('/');
  if (components.length < 2 || !components.every(c => COMPONENT.test(c))) {
    throw new RegistryError(
      400,
      'NAME_INVALID',
      `invalid repository name "${name}": registry.digitalocean.com/<registry>/<repository>`,
    );
  }
  return {
    registry: components[0],
    repository: components.slice(1).join('/'),
  };
}

/** The action a request needs: reads pull, DELETE deletes, other writes push. */
export function actionOf(method: string): Action {
  if (method === 'GET' || method === 'HEAD') return 'pull';
  return method === 'DELETE' ? 'delete' : 'push';
}
