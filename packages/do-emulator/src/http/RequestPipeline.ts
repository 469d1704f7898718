import type http from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import type OpenAPIBackend from 'openapi-backend';
import type { AdminTarget } from './adminRoutes';
import type { OperationResult } from './handlers';
import { responseProblem } from './openApiValidation';
import type { RequestArgs } from './operationRouter';
import type { RateLimiter } from './RateLimiter';

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
      // Loaded on the first admin request, not at import (they are for tests and demos).
      const {
        handleAdminRequest,
      }: typeof import('./adminRoutes') = require('./adminRoutes');
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
    const { emulator, options } = this.deps;
    const exchange = this.begin(req, url);
    if (emulator.faults.latencyMs > 0) {
      await (options.sleep ?? sleep)(emulator.faults.latencyMs);
    }
    const gate = this.admit(exchange);
    if ('refusal' in gate) return exchange.finish(gate.refusal);
    const fault = emulator.faults.take(exchange.operationId, exchange.method);
    if (fault?.kind === 'drop' || fault?.kind === 'hang') {
      this.leaveUnanswered(exchange, res, fault.kind);
      return undefined;
    }
    if (fault?.kind === 'delay') {
      await (options.sleep ?? sleep)(fault.delayMs ?? 0);
    }
    if (fault?.kind === 'error') {
      const status = fault.status ?? 500;
      return exchange.finish(
        errorResponse(
          status,
          status === 503 ? 'service_unavailable' : 'server_error',
          'Unexpected server-side error',
          gate.headers,
        ),
      );
    }
    const body = parseJson(rawBody);
    if (body.invalid) {
      return exchange.finish(
        errorResponse(400, 'bad_request', 'error parsing request body', {
          ...gate.headers,
        }),
      );
    }
    const response = exchange.finish(
      await this.dispatch(exchange, body.value, gate.headers),
    );
    if (fault?.kind === 'drop-response') {
      this.leaveUnanswered(exchange, res, 'drop');
      return undefined;
    }
    return this.checked(exchange, response);
  }

  /** Matches the operation, logs the request, and gives it an id every answer carries. */
  private begin(req: http.IncomingMessage, url: URL): Exchange {
    const { emulator, api } = this.deps;
    const method = (req.method ?? 'GET').toLowerCase();
    const query = Object.fromEntries(url.searchParams.entries());
    const headers = req.headers as Record<string, string>;
    const operation = api.matchOperation({
      method,
      path: url.pathname,
      headers,
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
    return { req, url, method, query, headers, operationId, entry, finish };
  }

  /** Authentication (any bearer token, or one of the configured ones), then the rate limit. */
  private admit(
    exchange: Exchange,
  ): { headers: Record<string, string> } | { refusal: ApiResponse } {
    const { rateLimiter, clock, options } = this.deps;
    const token = bearerToken(exchange.req.headers.authorization);
    const accepted =
      options.token === undefined ? undefined : [options.token].flat();
    if (accepted && token) exchange.entry.tokenIndex = accepted.indexOf(token);
    if (!token || (accepted && !accepted.includes(token))) {
      return {
        refusal: errorResponse(
          401,
          'unauthorized',
          'Unable to authenticate you.',
        ),
      };
    }
    const limit = rateLimiter.take(token, clock());
    if (limit.allowed) return { headers: limit.headers };
    return {
      refusal: errorResponse(
        429,
        'too_many_requests',
        'API rate limit exceeded.',
        limit.headers,
      ),
    };
  }

  /** A `drop` fault closes the connection; a `hang` one keeps it open without an answer. */
  private leaveUnanswered(
    exchange: Exchange,
    res: http.ServerResponse,
    kind: 'drop' | 'hang',
  ) {
    const { socket } = exchange.req;
    exchange.entry.status = 0;
    if (kind === 'drop') {
      socket.destroy();
      return;
    }
    this.hungSockets.add(socket);
    res.on('close', () => this.hungSockets.delete(socket));
  }

  /** The router validates the request and calls the operation's handler. */
  private async dispatch(
    exchange: Exchange,
    body: unknown,
    limitHeaders: Record<string, string>,
  ): Promise<ApiResponse> {
    const { emulator, api } = this.deps;
    const { method, url, query, headers } = exchange;
    emulator.account.settle();
    const args: RequestArgs = { account: emulator.account, query, body, url };
    const result: OperationResult = await api.handleRequest(
      { method, path: url.pathname, headers, query, body },
      args,
    );
    return {
      status: result.status,
      headers: {
        ...limitHeaders,
        ...(result.body === undefined
          ? {}
          : { 'content-type': 'application/json; charset=utf-8' }),
      },
      body: result.body,
    };
  }

  /** With `validateResponses`, an answer the spec does not allow becomes a 500 naming why. */
  private checked(exchange: Exchange, response: ApiResponse): ApiResponse {
    const { operationId } = exchange;
    if (!this.deps.options.validateResponses || !operationId) return response;
    const problem = responseProblem(this.deps.api, operationId, response);
    if (!problem) return response;
    return errorResponse(
      500,
      'emulator_invalid_response',
      `${operationId} ${response.status}: ${problem}`,
    );
  }
}

/** An API request in the pipeline: what it asks, its log entry, and how its answer is finished. */
interface Exchange {
  req: http.IncomingMessage;
  url: URL;
  method: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  operationId?: string;
  entry: ReturnType<AdminTarget['requests']['record']>;
  /** Records the status in the log and adds the request id to the answer. */
  finish: (response: ApiResponse) => ApiResponse;
}

function parseJson(raw: string): { value?: unknown; invalid?: boolean } {
  if (!raw.length) return {};
  try {
    return { value: JSON.parse(raw) };
  } catch {
    return { invalid: true };
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
