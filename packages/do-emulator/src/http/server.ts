import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import addFormats from 'ajv-formats';
import OpenAPIBackend, { type Context } from 'openapi-backend';
import { dereference } from '@apidevtools/json-schema-ref-parser';
import { loadOpenApiSpec } from '@backstage-docr/digitalocean-openapi';
import { EmulatedAccount } from '../model/account';
import { ApiError } from '../model/errors';
import { Layer } from '../model/registryStorage';
import { EmulatorSeed, applySeed } from '../seed';
import { Faults, FaultSettings } from './faults';
import { OperationResult, handlers } from './handlers';
import { RateLimiter } from './rateLimiter';
import { RequestLog } from './requestLog';

export interface DoEmulatorOptions {
  /** Registries, DOKS clusters and images to start with. */
  seed?: EmulatorSeed;
  /**
   * The bearer tokens accepted (one, or several accounts' worth); without it any non-empty
   * bearer token is accepted. Requests record which one they carried (`tokenIndex`).
   */
  token?: string | string[];
  /** Time each garbage collection status lasts (default 2000 ms). */
  gcStepMs?: number;
  /** Latency added to every API request. */
  latencyMs?: number;
  rateLimitPerMinute?: number;
  rateLimitPerHour?: number;
  /** Length of the rate limiter's "minute" (default 60 000 ms); tests shorten it. */
  rateLimitWindowMs?: number;
  /** The emulator's clock in epoch ms (default Date.now); tests control time with it. */
  clock?: () => number;
  /**
   * Check every response against the OpenAPI spec before sending it; a response that does not
   * validate is replaced by a 500 naming the problem, so tests fail loudly on drift.
   */
  validateResponses?: boolean;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
}

interface RequestArgs {
  account: EmulatedAccount;
  query: Record<string, string | undefined>;
  body: unknown;
  url: URL;
}

interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const json = (value: unknown) => JSON.stringify(value);

/**
 * An HTTP server that behaves like DigitalOcean's API for the Container Registry and DOKS
 * registry integration, serving `/v2/...`, plus `/_emulator/...` endpoints that tests and demos
 * use to push images, add clusters, inject faults and read request counters.
 */
export class DoEmulator {
  private currentAccount: EmulatedAccount;
  readonly faults = new Faults();
  readonly requests = new RequestLog();
  private readonly rateLimiter: RateLimiter;
  private readonly hungSockets = new Set<Socket>();
  private server?: http.Server;
  private api!: OpenAPIBackend;
  private readonly clock: () => number;
  private seed?: EmulatorSeed;

  private constructor(private readonly options: DoEmulatorOptions) {
    this.clock = options.clock ?? Date.now;
    this.currentAccount = this.newAccount();
    this.faults.latencyMs = options.latencyMs ?? 0;
    this.rateLimiter = new RateLimiter({
      perMinute: options.rateLimitPerMinute ?? 250,
      perHour: options.rateLimitPerHour ?? 5000,
      minuteMs: options.rateLimitWindowMs,
    });
  }

  /** Creates an emulator and starts serving; resolves once it listens. */
  static async start(options: DoEmulatorOptions = {}): Promise<DoEmulator> {
    const emulator = new DoEmulator(options);
    emulator.api = await sharedRouter();
    emulator.loadSeed(options.seed);
    await emulator.listen(options.host ?? '127.0.0.1', options.port ?? 0);
    return emulator;
  }

  /** The emulated DigitalOcean account: registries, subscription, clusters. */
  get account(): EmulatedAccount {
    return this.currentAccount;
  }

  /** The emulator's base URL; the API is under `${url}/v2`. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('The emulator is not listening');
    return `http://${this.options.host ?? '127.0.0.1'}:${address.port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.hungSockets) socket.destroy();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }

  /** Replaces all state with the seed (or an empty account) and clears faults and counters. */
  loadSeed(seed: EmulatorSeed | undefined): void {
    this.seed = seed;
    this.currentAccount = this.newAccount();
    if (seed) applySeed(this.currentAccount, seed);
    this.faults.clear();
    this.faults.latencyMs = this.options.latencyMs ?? 0;
    this.requests.reset();
    this.rateLimiter.reset();
  }

  reset(): void {
    this.loadSeed(this.seed);
  }

  /** Pushes an image as `docker push` would; re-pushing a tag leaves the old manifest untagged. */
  push(registry: string, repository: string, tag: string, layers: Layer[]) {
    return this.account.push(registry, repository, tag, layers);
  }

  private newAccount(): EmulatedAccount {
    return new EmulatedAccount({
      now: () => this.clock(),
      gcStepMs: this.options.gcStepMs ?? 2000,
      takenNames: this.seed?.account?.takenNames,
    });
  }

  private listen(host: string, port: number): Promise<void> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(error => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(
            json({
              id: 'server_error',
              message: String(error?.message ?? error),
            }),
          );
        }
      });
    });
    this.server.keepAliveTimeout = 5_000;
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
  }

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(
      req.url ?? '/',
      `http://${req.headers.host ?? '127.0.0.1'}`,
    );
    const rawBody = await readBody(req);
    if (url.pathname.startsWith('/_emulator/')) {
      const result = this.handleAdmin(req.method ?? 'GET', url, rawBody);
      res.writeHead(result.status, { 'content-type': 'application/json' });
      res.end(result.body === undefined ? undefined : json(result.body));
      return;
    }
    const response = await this.handleApi(req, url, rawBody, res);
    if (!response) return; // dropped or hung on purpose
    res.writeHead(response.status, response.headers);
    res.end(response.body === undefined ? undefined : json(response.body));
  }

  private async handleApi(
    req: http.IncomingMessage,
    url: URL,
    rawBody: string,
    res: http.ServerResponse,
  ): Promise<ApiResponse | undefined> {
    const method = (req.method ?? 'GET').toLowerCase();
    const query = Object.fromEntries(url.searchParams.entries());
    const operation = this.api.matchOperation({
      method,
      path: url.pathname,
      headers: req.headers as Record<string, string>,
      query,
    });
    const operationId = operation?.operationId;
    const requestId = randomUUID();
    const entry = this.requests.record(
      method.toUpperCase(),
      url.pathname,
      operationId,
    );
    const finish = (response: ApiResponse): ApiResponse => {
      entry.status = response.status;
      response.headers['x-request-id'] = requestId;
      if (
        response.status >= 400 &&
        response.body &&
        typeof response.body === 'object'
      ) {
        (response.body as Record<string, unknown>).request_id = requestId;
      }
      return response;
    };

    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);

    const token = bearerToken(req.headers.authorization);
    const accepted =
      this.options.token === undefined
        ? undefined
        : [this.options.token].flat();
    if (accepted && token) entry.tokenIndex = accepted.indexOf(token);
    if (!token || (accepted && !accepted.includes(token))) {
      return finish(
        errorResponse(401, 'unauthorized', 'Unable to authenticate you.'),
      );
    }
    const limit = this.rateLimiter.take(token, this.clock());
    if (!limit.allowed) {
      return finish(
        errorResponse(
          429,
          'too_many_requests',
          'API rate limit exceeded.',
          limit.headers,
        ),
      );
    }

    const fault = this.faults.take(operationId, method);
    if (fault?.kind === 'drop') {
      entry.status = 0;
      req.socket.destroy();
      return undefined;
    }
    if (fault?.kind === 'hang') {
      entry.status = 0;
      this.hungSockets.add(req.socket);
      res.on('close', () => this.hungSockets.delete(req.socket));
      return undefined;
    }
    if (fault?.kind === 'error') {
      const status = fault.status ?? 500;
      return finish(
        errorResponse(
          status,
          status === 503 ? 'service_unavailable' : 'server_error',
          'Unexpected server-side error',
          limit.headers,
        ),
      );
    }

    let body: unknown;
    if (rawBody.length) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return finish(
          errorResponse(
            400,
            'bad_request',
            'error parsing request body',
            limit.headers,
          ),
        );
      }
    }
    this.account.settle();
    const result: OperationResult = await this.api.handleRequest(
      {
        method,
        path: url.pathname,
        headers: req.headers as Record<string, string>,
        query,
        body,
      },
      { account: this.account, query, body, url },
    );
    const response = finish({
      status: result.status,
      headers: {
        ...limit.headers,
        ...(result.body === undefined
          ? {}
          : { 'content-type': 'application/json; charset=utf-8' }),
      },
      body: result.body,
    });
    if (fault?.kind === 'drop-response') {
      entry.status = 0;
      req.socket.destroy();
      return undefined;
    }
    if (this.options.validateResponses && operation) {
      const problem = this.responseProblem(operation.operationId!, response);
      if (problem) {
        return errorResponse(
          500,
          'emulator_invalid_response',
          `${operation.operationId} ${response.status}: ${problem}`,
        );
      }
    }
    return response;
  }

  /** Why a response does not match the spec, or undefined when it does. */
  responseProblem(
    operationId: string,
    response: {
      status: number;
      headers: Record<string, string>;
      body?: unknown;
    },
  ): string | undefined {
    if (response.body !== undefined) {
      const result = this.api.validateResponse(
        response.body,
        operationId,
        response.status,
      );
      if (result.errors?.length) {
        return result.errors
          .map(e => `${e.instancePath} ${e.message}`)
          .join('; ');
      }
    }
    const headerResult = this.api.validateResponseHeaders(
      response.headers,
      operationId,
      {
        statusCode: response.status,
        setMatchType: 'superset' as any,
      },
    );
    if (headerResult.errors?.length) {
      return headerResult.errors
        .map(e => `${e.instancePath} ${e.message}`)
        .join('; ');
    }
    return undefined;
  }

  /** The OpenAPI router, for tests that check requests and responses against the spec. */
  get openApi(): OpenAPIBackend {
    return this.api;
  }

  private handleAdmin(
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
    const route = `${method} ${path}`;
    try {
      this.account.settle();
      if (route === 'GET /health') return { status: 200, body: { ok: true } };
      if (route === 'GET /requests')
        return { status: 200, body: this.requests.summary() };
      if (route === 'DELETE /requests') {
        this.requests.reset();
        return { status: 204 };
      }
      if (route === 'POST /faults') {
        this.faults.configure(body as FaultSettings);
        return {
          status: 200,
          body: {
            latencyMs: this.faults.latencyMs,
            pending: this.faults.pending(),
          },
        };
      }
      if (route === 'DELETE /faults') {
        this.faults.clear();
        return { status: 204 };
      }
      if (route === 'POST /gc/fail-next') {
        this.account.failNextGcs = Number(body.count ?? 1);
        return { status: 200, body: { failNext: this.account.failNextGcs } };
      }
      if (route === 'POST /reset') {
        this.reset();
        return { status: 204 };
      }
      if (route === 'POST /clusters') {
        return {
          status: 201,
          body: { kubernetes_cluster: this.account.addCluster(body) },
        };
      }
      const push = path.match(/^\/registries\/([^/]+)\/push$/);
      if (method === 'POST' && push) {
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
          body: this.push(
            decodeURIComponent(push[1]),
            body.repository,
            body.tag,
            body.layers,
          ),
        };
      }
      return {
        status: 404,
        body: { id: 'not_found', message: `No emulator admin route ${route}` },
      };
    } catch (error) {
      return apiErrorResult(error);
    }
  }
}

let router: Promise<OpenAPIBackend> | undefined;

/**
 * The OpenAPI router and validator, built once per process: compiling the spec's schemas takes
 * seconds, and every emulator instance can share them because handlers get their account per call.
 */
function sharedRouter(): Promise<OpenAPIBackend> {
  router ??= createOpenApiValidator({ mendKnownGaps: true }).then(api => {
    registerHandlers(api);
    return api;
  });
  return router;
}

/**
 * An openapi-backend instance for DigitalOcean's spec: routes and validates requests and
 * responses. With `mendKnownGaps` the spec takes the real API's shape where it has known gaps;
 * without, it is the spec as DigitalOcean publishes it.
 *
 * Validators are compiled per operation on first use (openapi-backend's `quick` mode):
 * compiling the whole spec up front took about 4 s on a 2-core machine, and a test or a demo
 * uses a handful of operations. The spec is dereferenced first with json-schema-ref-parser, as
 * the full mode does, because quick mode's own synchronous dereferencing loses some schemas.
 * `checkDefinition` compiles everything and validates the spec document itself, as the contract
 * test does.
 */
export async function createOpenApiValidator(options: {
  mendKnownGaps: boolean;
  checkDefinition?: boolean;
}): Promise<OpenAPIBackend> {
  const spec = loadOpenApiSpec(options) as any;
  const api = new OpenAPIBackend({
    definition: options.checkDefinition ? spec : await dereference(spec),
    strict: false,
    quick: !options.checkDefinition,
    validate: true,
    customizeAjv: ajv => {
      addFormats(ajv as any);
      // `cidr` is not a JSON-Schema format; DigitalOcean uses it for cluster subnets.
      ajv.addFormat('cidr', true);
      return ajv;
    },
  });
  await api.init();
  return api;
}

function registerHandlers(api: OpenAPIBackend): void {
  api.register({
    notFound: () => ({
      status: 404,
      body: {
        id: 'not_found',
        message: 'The resource you requested could not be found.',
      },
    }),
    methodNotAllowed: (c: Context) => ({
      status: 405,
      body: {
        id: 'method_not_allowed',
        message: `Method ${c.request.method.toUpperCase()} is not allowed on ${c.request.path}`,
      },
    }),
    validationFail: (c: Context) => ({
      status: 422,
      body: {
        id: 'unprocessable_entity',
        message: (c.validation.errors ?? [])
          .map(e => `${e.instancePath || 'request'} ${e.message}`.trim())
          .join('; '),
      },
    }),
  });
  // Bearer tokens are checked before routing (401 in DigitalOcean's shape).
  api.registerSecurityHandler('bearer_auth', () => true);
  for (const [operationId, handler] of Object.entries(handlers)) {
    api.register(
      operationId,
      (c: Context, args: RequestArgs): OperationResult => {
        try {
          return handler({
            ...args,
            params: c.request.params as Record<string, string>,
          });
        } catch (error) {
          return apiErrorResult(error);
        }
      },
    );
  }
}

/** DigitalOcean's error shape for an ApiError; anything else is a bug and is rethrown. */
function apiErrorResult(error: unknown): OperationResult {
  if (error instanceof ApiError) {
    return {
      status: error.status,
      body: { id: error.id, message: error.message },
    };
  }
  throw error;
}

function errorResponse(
  status: number,
  id: string,
  message: string,
  headers: Record<string, string> = {},
): ApiResponse {
  return {
    status,
    headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
    body: { id, message },
  };
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
