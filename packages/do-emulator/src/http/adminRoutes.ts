import type { EmulatedAccount } from '../model/account';
import type { Layer, PushResult } from '../model/registryStorage';
import type { Faults, FaultSettings } from './Faults';
import type { OperationResult } from './handlers';
import { apiErrorResult } from './operationRouter';
import type { RequestLog } from './RequestLog';
import type { EmulatorSeed } from '../seed';
import { kubernetesAdminRoutes } from '../kubernetes/adminRoutes';

/** The emulator as the admin endpoints see it: its state and the actions tests and demos take. */
export interface AdminTarget {
  /** Read at each request: a reset replaces the account. */
  readonly account: EmulatedAccount;
  readonly faults: Faults;
  readonly requests: RequestLog;
  readonly registryRequests: RequestLog;
  reset(): void;
  loadSeed(seed: EmulatorSeed): void;
  push(
    registry: string,
    repository: string,
    tag: string,
    layers: Layer[],
  ): PushResult;
}

interface AdminRequest {
  emulator: AdminTarget;
  /** The parsed JSON body; `{}` when the request has none. */
  body: any;
  /** The path's `:name` segments, still URL-encoded. */
  params: Record<string, string>;
}

export interface AdminRoute {
  method: string;
  /** The path after `/_emulator`; a `:name` segment matches any one segment. */
  path: string;
  handle(request: AdminRequest): OperationResult;
}

/** The `/_emulator/...` endpoints: outside DigitalOcean's API, for tests and demos. */
const routes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/health',
    handle: () => ({ status: 200, body: { ok: true } }),
  },
  {
    method: 'GET',
    path: '/requests',
    handle: ({ emulator }) => ({
      status: 200,
      body: emulator.requests.summary(),
    }),
  },
  {
    method: 'DELETE',
    path: '/requests',
    handle: ({ emulator }) => {
      emulator.requests.reset();
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/registry-requests',
    handle: ({ emulator }) => ({
      status: 200,
      body: emulator.registryRequests.summary(),
    }),
  },
  {
    method: 'DELETE',
    path: '/registry-requests',
    handle: ({ emulator }) => {
      emulator.registryRequests.reset();
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/faults',
    handle: ({ emulator, body }) => {
      emulator.faults.configure(body as FaultSettings);
      return {
        status: 200,
        body: {
          latencyMs: emulator.faults.latencyMs,
          pending: emulator.faults.pending(),
        },
      };
    },
  },
  {
    method: 'DELETE',
    path: '/faults',
    handle: ({ emulator }) => {
      emulator.faults.clear();
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/gc/fail-next',
    handle: ({ emulator, body }) => {
      emulator.account.failNextGcs = Number(body.count ?? 1);
      return {
        status: 200,
        body: { failNext: emulator.account.failNextGcs },
      };
    },
  },
  {
    method: 'POST',
    path: '/reset',
    handle: ({ emulator }) => {
      emulator.reset();
      return { status: 204 };
    },
  },
  {
    // Starts the account over from another seed (e.g. an empty Starter account) until the next.
    method: 'PUT',
    path: '/seed',
    handle: ({ emulator, body }) => {
      emulator.loadSeed(body as EmulatorSeed);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/clusters',
    handle: ({ emulator, body }) => ({
      status: 201,
      body: { kubernetes_cluster: emulator.account.addCluster(body) },
    }),
  },
  {
    method: 'POST',
    path: '/registries/:registry/push',
    handle: ({ emulator, body, params }) => {
      if (!body.repository || !body.tag || !Array.isArray(body.layers)) {
        return {
          status: 422,
          body: {
            id: 'unprocessable_entity',
            message: 'push needs repository, tag and layers: [{size}]',
          },
        };
      }
      return {
        status: 201,
        body: emulator.push(
          decodeURIComponent(params.registry),
          body.repository,
          body.tag,
          body.layers,
        ),
      };
    },
  },
];

const table = [...routes, ...kubernetesAdminRoutes].map(route => ({
  ...route,
  ...compilePath(route.path),
}));

/**
 * Answers a request under `/_emulator`: a body that is not JSON gets 400, an unknown route 404,
 * an ApiError DigitalOcean's error shape; anything else thrown is a bug and is rethrown.
 */
export function handleAdminRequest(
  emulator: AdminTarget,
  method: string,
  url: URL,
  rawBody: string,
): OperationResult {
  let body: any = {};
  try {
    body = rawBody ? JSON.parse(rawBody) : {};
  } catch {
    return {
      status: 400,
      body: { id: 'bad_request', message: 'error parsing request body' },
    };
  }
  const path = url.pathname.replace(/^\/_emulator/, '');
  try {
    emulator.account.settle();
    for (const route of table) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (!match) continue;
      const params = Object.fromEntries(
        route.paramNames.map((name, i) => [name, match[i + 1]]),
      );
      return route.handle({ emulator, body, params });
    }
    return {
      status: 404,
      body: {
        id: 'not_found',
        message: `No emulator admin route ${method} ${path}`,
      },
    };
  } catch (error) {
    return apiErrorResult(error);
  }
}

/** `/registries/:registry/push` → a regular expression matching the whole path, and `['registry']`. */
function compilePath(path: string): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const source = path
    .split('/')
    .map(segment => {
      if (!segment.startsWith(':')) {
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      paramNames.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), paramNames };
}
