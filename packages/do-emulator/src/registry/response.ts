import type http from 'node:http';
import { ApiError } from '../model/errors';
import { RegistryError } from '../model/registryErrors';

/** An answer of the registry host; an object body is sent as JSON. */
export interface RegistryResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | object;
}

/** A 401 with the challenge a client follows to get credentials or a token. */
export class ChallengeError extends RegistryError {
  constructor(
    message: string,
    readonly challenge: string,
  ) {
    super(401, 'UNAUTHORIZED', message);
  }
}

export const denied = (message: string) =>
  new RegistryError(403, 'DENIED', message);

/**
 * The distribution spec's error body for a RegistryError; an ApiError of the account (a tier
 * limit, an unknown registry) becomes DENIED or NAME_UNKNOWN. Anything else is a bug: rethrown.
 */
export function errorResponse(error: unknown): RegistryResponse {
  if (error instanceof ApiError) {
    return errorResponse(
      error.status === 404
        ? new RegistryError(404, 'NAME_UNKNOWN', error.message)
        : denied(error.message),
    );
  }
  if (!(error instanceof RegistryError)) throw error;
  const entry: Record<string, unknown> = {
    code: error.code,
    message: error.message,
  };
  if (error.detail !== undefined) entry.detail = error.detail;
  return {
    status: error.status,
    headers:
      error instanceof ChallengeError
        ? { 'www-authenticate': error.challenge }
        : {},
    body: { errors: [entry] },
  };
}

/** Writes the response; HEAD gets the headers (Content-Length included) without the body. */
export function send(
  res: http.ServerResponse,
  response: RegistryResponse,
  head: boolean,
): void {
  const headers: Record<string, string> = {
    'docker-distribution-api-version': 'registry/2.0',
    ...response.headers,
  };
  let body: Buffer | undefined;
  if (Buffer.isBuffer(response.body)) body = response.body;
  else if (response.body !== undefined) {
    body = Buffer.from(JSON.stringify(response.body));
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  if (body && headers['content-length'] === undefined)
    headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(head ? undefined : body);
}
