import { rateLimitWaitMs } from '../transport';
import { BearerTokens } from './BearerTokens';
import { RegistryHostError, distributionError } from './errors';
import { DIGEST, boundedBytes, verifiedDigest } from './manifestBytes';
import {
  MANIFEST_MEDIA_TYPES,
  OciDescriptor,
  OciImageIndex,
  parseManifestDocument,
} from './ociTypes';
import { Pacer } from './Pacer';
import { refusalCause } from './sharedRequest';
import { RegistryCredentials } from './RegistryCredentials';
import {
  BeforeRegistryHostRequest,
  DOCR_REGISTRY_URL,
  ManifestHead,
  RegistryHostClientOptions,
  RegistryHostCallOptions,
  RegistryManifest,
  realClock,
} from './options';
import {
  RegistryHostCallCounts,
  RegistryHostCallKind,
  RegistryHostTransport,
} from './RegistryHostTransport';
import { nextPageQuery, validatedPath } from './paths';

const ACCEPT_MANIFESTS = Object.values(MANIFEST_MEDIA_TYPES).join(', ');

/** One call's request: a GET or HEAD, with what it accepts and how to count or stop it. */
interface CallInit {
  method: 'GET' | 'HEAD';
  accept?: string;
  query?: URLSearchParams;
  signal?: AbortSignal;
  beforeRequest?: BeforeRegistryHostRequest;
  absentOn404?: boolean;
}

/**
 * A read-only client of a registry host (OCI Distribution API v1.1): manifests, referrers and
 * tags, with bearer tokens for read-only docker credentials from DigitalOcean's API. One per
 * account, so the account's requests share one pace. Credentials and tokens never appear in a
 * log line or an error.
 *
 * @public
 */
export class RegistryHostClient {
  /** The registry host's base URL, without a trailing slash. */
  readonly registryUrl: string;
  private readonly transport: RegistryHostTransport;
  private readonly tokens: BearerTokens;

  constructor(options: RegistryHostClientOptions) {
    this.registryUrl = (options.registryUrl ?? DOCR_REGISTRY_URL).replace(
      /\/+$/,
      '',
    );
    const clock = options.clock ?? realClock;
    const now = () => clock.now();
    this.transport = new RegistryHostTransport({
      pacer: new Pacer({
        maxConcurrency: options.maxConcurrency ?? 4,
        requestsPerSecond: options.requestsPerSecond ?? 10,
        clock,
      }),
      clock,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
      maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 120_000,
      maxRateLimitRetries: 5,
      fetch: options.fetch ?? globalThis.fetch,
      logger: options.logger,
    });
    this.tokens = new BearerTokens({
      registryUrl: this.registryUrl,
      trustedOrigins: [
        new URL(this.registryUrl).origin,
        new URL(options.credentials.apiUrl).origin,
      ],
      credentials: new RegistryCredentials({
        source: options.credentials,
        lifetimeSeconds: options.credentialLifetimeSeconds ?? 300,
        now,
      }),
      transport: this.transport,
      now,
    });
  }

  /** The calls made so far (a copy): every request, by purpose, retries included. */
  callCounts(): RegistryHostCallCounts {
    const { total, byKind, rateLimited } = this.transport.counts;
    return { total, byKind: { ...byKind }, rateLimited };
  }

  /**
   * A manifest by tag or digest, in whichever of the four manifest types it was pushed. Its
   * digest (Docker-Content-Digest, or the digest asked for) is checked against the bytes.
   */
  async getManifest(
    registry: string,
    repository: string,
    reference: string,
    options?: RegistryHostCallOptions,
  ): Promise<RegistryManifest> {
    const path = validatedPath(registry, repository, 'manifests', reference);
    const response = await this.call('manifest', registry, repository, path, {
      method: 'GET',
      accept: ACCEPT_MANIFESTS,
      signal: options?.signal,
      beforeRequest: options?.beforeRequest,
    });
    const operation = `GET ${path}`;
    const bytes = await boundedBytes(response, operation);
    const digest = verifiedDigest(
      bytes,
      response.headers.get('docker-content-digest'),
      reference,
      operation,
    );
    const parsed = parseManifestDocument(
      bytes,
      response.headers.get('content-type') ?? undefined,
    );
    if (!parsed) {
      throw new RegistryHostError({
        operation,
        status: response.status,
        code: 'UNSUPPORTED_MANIFEST',
        message: `${digest} is not a schema 2 image manifest or index (${response.headers.get('content-type') ?? 'no content type'})`,
      });
    }
    return { ...parsed, digest, size: bytes.byteLength };
  }

  /** The digest a tag (or digest) resolves to, without the manifest's bytes. */
  async headManifest(
    registry: string,
    repository: string,
    reference: string,
    options?: RegistryHostCallOptions,
  ): Promise<ManifestHead> {
    const path = validatedPath(registry, repository, 'manifests', reference);
    const response = await this.call(
      'headManifest',
      registry,
      repository,
      path,
      {
        method: 'HEAD',
        accept: ACCEPT_MANIFESTS,
        signal: options?.signal,
        beforeRequest: options?.beforeRequest,
      },
    );
    const digest = response.headers.get('docker-content-digest');
    if (!digest || !DIGEST.test(digest)) {
      throw new RegistryHostError({
        operation: `HEAD ${path}`,
        status: response.status,
        code: 'NO_DIGEST',
        message: 'the registry host answered without Docker-Content-Digest',
      });
    }
    const size = Number(response.headers.get('content-length'));
    return {
      digest,
      mediaType: response.headers.get('content-type') ?? undefined,
      size: Number.isFinite(size) ? size : undefined,
    };
  }

  /**
   * The manifests whose `subject` is the given digest (OCI 1.1 referrers API), every page, or
   * undefined when the registry host does not offer the API (404).
   */
  async listReferrers(
    registry: string,
    repository: string,
    subject: string,
    options?: RegistryHostCallOptions & { artifactType?: string },
  ): Promise<OciDescriptor[] | undefined> {
    const path = validatedPath(registry, repository, 'referrers', subject);
    let query = new URLSearchParams();
    if (options?.artifactType) query.set('artifactType', options.artifactType);
    const descriptors: OciDescriptor[] = [];
    for (let page = 0; page < 1_000; page++) {
      const response = await this.call(
        'referrers',
        registry,
        repository,
        path,
        {
          method: 'GET',
          query,
          signal: options?.signal,
          beforeRequest: options?.beforeRequest,
          absentOn404: true,
        },
      );
      if (response.status === 404) return undefined;
      const index = (await response.json()) as Partial<OciImageIndex>;
      descriptors.push(...(index.manifests ?? []));
      const next = nextPageQuery(response.headers.get('link'), query, [
        'artifactType',
        'n',
        'last',
      ]);
      if (!next) break;
      query = next;
    }
    return descriptors;
  }

  /** Every tag of the repository, following the `Link` header page by page. */
  async listTags(
    registry: string,
    repository: string,
    options?: RegistryHostCallOptions & { pageSize?: number },
  ): Promise<string[]> {
    const path = validatedPath(registry, repository, 'tags', 'list');
    let query = new URLSearchParams({ n: String(options?.pageSize ?? 1000) });
    const tags: string[] = [];
    for (let page = 0; page < 10_000; page++) {
      const response = await this.call('tags', registry, repository, path, {
        method: 'GET',
        query,
        signal: options?.signal,
        beforeRequest: options?.beforeRequest,
      });
      const body = (await response.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      const next = nextPageQuery(response.headers.get('link'), query, [
        'n',
        'last',
      ]);
      if (!next) break;
      query = next;
    }
    return tags;
  }

  /**
   * One call with the repository's token: a 401 with a held token renews it once (it may have
   * been revoked). Answers other than 2xx are thrown as RegistryHostError, but for a 404 the
   * caller takes as an answer.
   */
  private async call(
    kind: RegistryHostCallKind,
    registry: string,
    repository: string,
    path: string,
    init: CallInit,
  ): Promise<Response> {
    try {
      return await this.callWithToken(kind, registry, repository, path, init);
    } catch (error) {
      // The caller's own beforeRequest refused: its error, as it threw it.
      throw refusalCause(error);
    }
  }

  private async callWithToken(
    kind: RegistryHostCallKind,
    registry: string,
    repository: string,
    path: string,
    init: CallInit,
  ): Promise<Response> {
    const url = new URL(path, this.registryUrl);
    if (init.query) url.search = init.query.toString();
    for (let attempt = 0; ; attempt++) {
      const authorization = await this.tokens.authorization(
        registry,
        repository,
        init.signal,
        init.beforeRequest,
      );
      const headers = new Headers();
      if (init.accept) headers.set('accept', init.accept);
      if (authorization) headers.set('authorization', authorization);
      const response = await this.transport.send(kind, url, {
        method: init.method,
        headers,
        signal: init.signal,
        beforeRequest: init.beforeRequest,
      });
      if (response.ok || (init.absentOn404 && response.status === 404))
        return response;
      if (response.status === 401 && authorization && attempt === 0) {
        await response.body?.cancel();
        this.tokens.forget(registry, repository);
        continue;
      }
      const { code, message } =
        init.method === 'HEAD'
          ? { code: `HTTP_${response.status}`, message: 'no body (HEAD)' }
          : await distributionError(
              response,
              authorization ? [authorization.replace(/^Bearer /, '')] : [],
            );
      throw new RegistryHostError({
        operation: `${init.method} ${path}`,
        status: response.status,
        code,
        message,
        retryAfterMs:
          response.status === 429
            ? rateLimitWaitMs(response.headers)
            : undefined,
      });
    }
  }
}
