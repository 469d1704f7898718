import createClient from 'openapi-fetch';
import type { PatchedPaths } from '@backstage-docr/digitalocean-openapi';
import { DigitalOceanApiError, DigitalOceanRateLimitError } from '../errors';
import { createTransport, operationOf, rateLimitWaitMs } from '../transport';
import { DIGITALOCEAN_API_URL, DigitalOceanClientOptions } from './options';

type ApiResult<T> = { data?: T; error?: unknown; response: Response };

const PER_PAGE = 200;

/**
 * The typed openapi-fetch client over the transport (token, timeouts, retries, rate limits),
 * with what every call needs: error mapping, 404 as undefined, and pagination.
 */
export class ApiCalls {
  readonly api: ReturnType<typeof createClient<PatchedPaths>>;
  readonly apiUrl: string;

  constructor(options: DigitalOceanClientOptions) {
    this.apiUrl = (options.apiUrl ?? DIGITALOCEAN_API_URL).replace(/\/+$/, '');
    this.api = createClient<PatchedPaths>({
      baseUrl: this.apiUrl,
      fetch: createTransport({
        token: options.token,
        timeoutMs: options.timeoutMs ?? 30_000,
        maxRetries: options.maxRetries ?? 3,
        maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 120_000,
        baseBackoffMs: options.baseBackoffMs,
        logger: options.logger,
        fetch: options.fetch,
        clock: options.clock,
        userAgent: 'backstage-docr',
      }),
    });
  }

  async unwrap<T>(call: Promise<ApiResult<T>>): Promise<T> {
    const { data, error, response } = await call;
    if (response.ok) {
      return data as T;
    }
    const operation =
      operationOf(response) ?? new URL(response.url || this.apiUrl).pathname;
    const body = (typeof error === 'object' && error ? error : undefined) as
      { id?: string; message?: string; request_id?: string } | undefined;
    if (response.status === 429) {
      throw new DigitalOceanRateLimitError({
        body,
        operation,
        retryAfterMs: rateLimitWaitMs(response.headers),
      });
    }
    throw new DigitalOceanApiError({
      status: response.status,
      body,
      operation,
    });
  }

  async orUndefinedOn404<T>(call: Promise<T>): Promise<T | undefined> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof DigitalOceanApiError && error.status === 404)
        return undefined;
      throw error;
    }
  }

  /**
   * Fetches every page, 200 at a time, following `links.pages.next`. Only the page parameters
   * are taken from the link: requests always go to our own base URL, so the token is never sent
   * to a host named in a response.
   */
  async listAllPages<T, D>(
    fetchPage: (query: {
      per_page: number;
      page?: number;
      page_token?: string;
    }) => Promise<ApiResult<D>>,
    items: (data: D) => T[],
    limit?: number,
  ): Promise<T[]> {
    const result: T[] = [];
    let query: { per_page: number; page?: number; page_token?: string } = {
      per_page: PER_PAGE,
    };
    for (let pages = 0; pages < 10_000; pages++) {
      const data = await this.unwrap(fetchPage(query));
      result.push(...items(data));
      if (limit !== undefined && result.length >= limit)
        return result.slice(0, limit);
      // Known spec gap: the garbage collection list declares no `links`; read them where present.
      const next = (data as { links?: { pages?: { next?: string } } }).links
        ?.pages?.next;
      if (!next) return result;
      const params = new URL(next).searchParams;
      const page = Number(params.get('page'));
      const pageToken = params.get('page_token') ?? undefined;
      const nextQuery = {
        per_page: PER_PAGE,
        ...(Number.isInteger(page) && page > 0 ? { page } : {}),
        ...(pageToken ? { page_token: pageToken } : {}),
      };
      if (
        nextQuery.page === query.page &&
        nextQuery.page_token === query.page_token
      )
        return result;
      query = nextQuery;
    }
    return result;
  }
}
