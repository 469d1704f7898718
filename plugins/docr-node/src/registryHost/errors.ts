import { readAtMost } from './boundedBody';

/**
 * A call to the registry host failed. `code` is the registry's own error code (OCI distribution
 * spec: `MANIFEST_UNKNOWN`, `NAME_UNKNOWN`, `DENIED`, `UNAUTHORIZED`, `TOOMANYREQUESTS`...) or
 * one of the client's: `DIGEST_MISMATCH` (the bytes are not what their digest says),
 * `UNSUPPORTED_MANIFEST` (not a schema 2 manifest or index), `UNTRUSTED_REALM` (the registry sent
 * us to authenticate at a host we do not give credentials to), `TIMEOUT`, `NETWORK`. Never
 * holds a credential, a token or a request header.
 *
 * @public
 */
export class RegistryHostError extends Error {
  /** The HTTP status, absent when no answer came (timeout, network). */
  readonly status?: number;
  /** The registry's error code or the client's (see above). */
  readonly code: string;
  /** `METHOD /path` of the failed call. */
  readonly operation: string;
  /** When the registry host said capacity returns, for a 429 still refused after waiting. */
  readonly retryAfterMs?: number;

  constructor(options: {
    operation: string;
    code: string;
    message: string;
    status?: number;
    retryAfterMs?: number;
  }) {
    super(
      `Registry host ${options.operation} failed${
        options.status ? ` with ${options.status}` : ''
      } ${options.code}: ${options.message}`,
    );
    this.name = 'RegistryHostError';
    this.status = options.status;
    this.code = options.code;
    this.operation = options.operation;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * True when the registry host says the manifest (or the repository) does not exist.
 *
 * @public
 */
export function isManifestUnknownError(error: unknown): boolean {
  return error instanceof RegistryHostError && error.status === 404;
}

/** The text with every secret given (non-empty) replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets
    .filter(secret => secret.length >= 4)
    .reduce((scrubbed, secret) => scrubbed.split(secret).join('***'), text);
}

/** An error body longer than this is not read (its status alone is reported). */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Distribution's error body `{"errors":[{code,message}]}`, first error only, bounded, with the
 * secrets of the request scrubbed from the message in case the host echoes them.
 */
export async function distributionError(
  response: Response,
  secrets: readonly string[] = [],
): Promise<{ code: string; message: string }> {
  const fallback = {
    code: `HTTP_${response.status}`,
    message: response.statusText || 'no message',
  };
  try {
    const bytes = await readAtMost(response, MAX_ERROR_BODY_BYTES);
    if (!bytes) return fallback;
    const body = JSON.parse(new TextDecoder().decode(bytes)) as {
      errors?: Array<{ code?: unknown; message?: unknown }>;
    };
    const first = body?.errors?.[0];
    if (!first) return fallback;
    return {
      code: typeof first.code === 'string' ? first.code : fallback.code,
      message:
        typeof first.message === 'string'
          ? scrubSecrets(first.message, secrets).slice(0, 300)
          : fallback.message,
    };
  } catch {
    return fallback;
  }
}
