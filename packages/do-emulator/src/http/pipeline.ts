import type http from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import type OpenAPIBackend from 'openapi-backend';
import { AdminTarget, handleAdminRequest } from './adminRoutes';
import type { OperationResult } from './handlers';
import { responseProblem } from './openApiValidation';
import type { RequestArgs } from './operationRouter';
import type { RateLimiter } from './rateLimiter';

/** The emulator's options the pipeline reads, at each request. */
export interface PipelineOptions {
  token?: string | string[];
  validateResponses?: boolean;
  sleep?: (ms: number) => Promise<void>;
}

export interface PipelineDeps {
  emulator: AdminTarget;
  /** The OpenAPI router, with the operations' handlers registered. */
  api: OpenAPIBackend;
  rateLimiter: RateLimiter;
  clock: () => number;
  options: PipelineOptions;
}

interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const json = (value: unknown) => JSON.stringify(value);

/**
 * What happens to each HTTP request. `/_emulator/...` goes to the admin routes. A `/v2/...`
 * request is matched to its operation and logged, then: added latency, bearer token (401),
 * rate limit (429), injected faults, JSON body (400), the operation's handler (the OpenAPI
 * router validates the request, 422), and, with `validateResponses`, the response against the
 * spec (500). Every answer carries `x-request-id`; an error body also has it as `request_id`.
 */
export class RequestPipeline {
  private readonly hungSockets = new Set<Socket>();

  constructor(private readonly deps: PipelineDeps) {}

  /** Node's request listener; a request whose handling throws is answered 500. */
  readonly listener = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): void => {
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
  };

  /** Closes the connections of requests that a `hang` fault left unanswered. */
  destroyHungSockets(): void {
    for (const socket of this.hungSockets) socket.destroy();
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
      const result = handleAdminRequest(
        this.deps.emulator,
        req.method ?? 'GET',
        url,
        rawBody,
      );
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
    const { emulator, api, rateLimiter, clock, options } = this.deps;
    const method = (req.method ?? 'GET').toLowerCase();
    const query = Object.fromEntries(url.searchParams.entries());
    const operation = api.matchOperation({
      method,
      path: url.pathname,
      headers: req.headers as Record<string, string>,
      query,
    });
    const operationId = operation?.operationId;
    const requestId = randomUUID();
    const entry = emulator.requests.record(
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

    if (emulator.faults.latencyMs > 0) {
      await (options.sleep ?? sleep)(emulator.faults.latencyMs);
    }

    // Authentication: any bearer token, or one of the configured ones.
    const token = bearerToken(req.headers.authorization);
    const accepted =
      options.token === undefined ? undefined : [options.token].flat();
    if (accepted && token) entry.tokenIndex = accepted.indexOf(token);
    if (!token || (accepted && !accepted.includes(token))) {
      return finish(
        errorResponse(401, 'unauthorized', 'Unable to authenticate you.'),
      );
    }

    const limit = rateLimiter.take(token, clock());
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

    const fault = emulator.faults.take(operationId, method);
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

    // Dispatch: the router validates the request and calls the operation's handler.
    emulator.account.settle();
    const args: RequestArgs = { account: emulator.account, query, body, url };
    const result: OperationResult = await api.handleRequest(
      {
        method,
        path: url.pathname,
        headers: req.headers as Record<string, string>,
        query,
        body,
      },
      args,
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
    if (options.validateResponses && operation) {
      const problem = responseProblem(api, operation.operationId!, response);
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
