import type http from 'node:http';
import type { KubernetesClusters } from './KubernetesClusters';
import { ListPages } from './ListPages';
import { KINDS, Kind, kindAt } from './objects';

const PREFIX = /^\/clusters\/([^/]+)(\/.*)$/;

/**
 * The stand-in for each DOKS cluster's Kubernetes API server, one listener for all clusters:
 * cluster `<id>` is served under `/clusters/<id>`, the server URL its credentials name. It lists
 * pods, workloads and their ControllerRevisions (`limit`/`continue` paging) to holders of a
 * token DigitalOcean's credentials endpoint issued for that cluster, and nothing else: it is
 * read-only.
 */
export class KubernetesApiServer {
  private readonly pages = new ListPages();

  constructor(private readonly clusters: () => KubernetesClusters) {}

  readonly listener = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): void => {
    const url = new URL(req.url ?? '/', 'http://kubernetes');
    const match = PREFIX.exec(url.pathname);
    const clusters = this.clusters();
    if (!match || !clusters.has(match[1])) {
      reply(res, 404, status(404, 'NotFound', 'no such cluster'));
      return;
    }
    const [, clusterId, path] = match;
    clusters.countRequest(clusterId);
    if (!clusters.isReachable(clusterId)) {
      req.socket.destroy();
      return;
    }
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!clusters.accepts(clusterId, token)) {
      reply(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (req.method !== 'GET') {
      reply(
        res,
        405,
        status(405, 'MethodNotAllowed', 'the emulated API server only reads'),
      );
      return;
    }
    if (path === '/version') {
      reply(res, 200, { major: '1', minor: '33', gitVersion: 'v1.33.1' });
      return;
    }
    const route = routeOf(path);
    if (!route) {
      reply(
        res,
        404,
        status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      );
      return;
    }
    this.list(res, url, clusters, clusterId, route);
  };

  /** One page of a kind's objects (410 once a `continue` token has expired). */
  private list(
    res: http.ServerResponse,
    url: URL,
    clusters: KubernetesClusters,
    clusterId: string,
    route: { kind: Kind; namespace?: string },
  ) {
    const workloads = clusters.cluster(clusterId);
    const page = this.pages.page(
      () => ({
        items: workloads.list(route.kind, route.namespace),
        resourceVersion: workloads.currentResourceVersion,
      }),
      Number(url.searchParams.get('limit') ?? 0) || undefined,
      url.searchParams.get('continue') ?? undefined,
    );
    if (page === 'expired') {
      reply(
        res,
        410,
        status(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result.',
        ),
      );
      return;
    }
    reply(res, 200, {
      kind: `${route.kind}List`,
      apiVersion: KINDS[route.kind].apiVersion,
      metadata: {
        resourceVersion: page.resourceVersion,
        ...(page.continue
          ? {
              continue: page.continue,
              remainingItemCount: page.remainingItemCount,
            }
          : {}),
      },
      items: page.items,
    });
  }
}

/** `/api/v1/[namespaces/<ns>/]pods` or `/apis/<group>/<version>/[namespaces/<ns>/]<plural>`. */
function routeOf(path: string): { kind: Kind; namespace?: string } | undefined {
  const parts = path.split('/').filter(Boolean);
  let apiVersion: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') {
    apiVersion = 'v1';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    apiVersion = `${parts[1]}/${parts[2]}`;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length === 3) {
    namespace = decodeURIComponent(rest[1]);
    rest = rest.slice(2);
  }
  if (rest.length !== 1) return undefined;
  const kind = kindAt(apiVersion, rest[0]);
  return kind ? { kind, namespace } : undefined;
}

function status(code: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

function reply(res: http.ServerResponse, code: number, body: unknown) {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
