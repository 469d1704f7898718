import {
  BearerChallenge,
  isTrustedRealm,
  parseBearerChallenge,
} from './challenge';
import { RegistryHostError, distributionError } from './errors';
import { RegistryCredentials } from './RegistryCredentials';
import { RegistryHostTransport } from './RegistryHostTransport';
import { gated, heldOrShared } from './sharedRequest';
import type { BeforeRegistryHostRequest } from './options';

/** The registry host asks for no authentication at all (`GET /v2/` answered 200). */
const ANONYMOUS = 'anonymous' as const;

interface HeldToken {
  authorization: string;
  expiresAtMs: number;
}

/** Docker's token spec: a token without `expires_in` lasts 60 s. */
const DEFAULT_TOKEN_SECONDS = 60;
/** Longest a token is held, whatever the realm says: DOCR's tokens last five minutes. */
export const MAX_TOKEN_SECONDS = 300;

/**
 * How long to hold a token, from the realm's `expires_in`: at most `MAX_TOKEN_SECONDS`, so a
 * bogus answer cannot make the client keep a token forever; missing or not a positive number
 * of seconds, the spec's 60 s.
 */
export function tokenSeconds(expiresIn: unknown): number {
  if (typeof expiresIn !== 'number' || !(expiresIn > 0))
    return DEFAULT_TOKEN_SECONDS;
  return Math.min(expiresIn, MAX_TOKEN_SECONDS);
}

/**
 * Bearer tokens for the registry host, one per repository scope (`repository:<registry>/<repo>:pull`),
 * exchanged at the realm the host names for the registry's read-only docker credentials and
 * held until shortly before they expire. Tokens stay in this object's private map.
 */
export class BearerTokens {
  private challenge?: Promise<BearerChallenge | typeof ANONYMOUS>;
  private readonly held = new Map<string, HeldToken>();
  private readonly pending = new Map<string, Promise<HeldToken>>();

  constructor(
    private readonly options: {
      registryUrl: string;
      /** Origins the credentials may be sent to: the registry host's and DigitalOcean's API. */
      trustedOrigins: string[];
      credentials: RegistryCredentials;
      transport: RegistryHostTransport;
      now: () => number;
    },
  ) {}

  /** The `Authorization` header for a repository, or undefined when the host needs none. */
  async authorization(
    registry: string,
    repository: string,
    signal?: AbortSignal,
    /** Awaited before each request made for it (ping, token, docker credentials). */
    beforeRequest?: BeforeRegistryHostRequest,
  ): Promise<string | undefined> {
    const challenge = await this.discover(signal, beforeRequest);
    if (challenge === ANONYMOUS) return undefined;
    const scope = `repository:${registry}/${repository}:pull`;
    const held = await heldOrShared(
      () => {
        const current = this.held.get(scope);
        return current && current.expiresAtMs > this.options.now()
          ? current
          : undefined;
      },
      () => this.pending.get(scope),
      () => {
        const request = this.exchange(
          challenge,
          registry,
          scope,
          signal,
          beforeRequest,
        ).finally(() => this.pending.delete(scope));
        this.pending.set(scope, request);
        return request;
      },
    );
    return held.authorization;
  }

  /** Drops the repository's token and the registry's credentials, after a 401 with them. */
  forget(registry: string, repository: string): void {
    this.held.delete(`repository:${registry}/${repository}:pull`);
    this.options.credentials.forget(registry);
  }

  private discover(
    signal?: AbortSignal,
    beforeRequest?: BeforeRegistryHostRequest,
  ): Promise<BearerChallenge | typeof ANONYMOUS> {
    return heldOrShared(
      () => undefined,
      () => this.challenge,
      () => {
        this.challenge = gated(
          beforeRequest && (() => beforeRequest('registryHost')),
          () => this.ping(signal),
        ).catch(error => {
          this.challenge = undefined;
          throw error;
        });
        return this.challenge;
      },
    );
  }

  private async ping(
    signal?: AbortSignal,
  ): Promise<BearerChallenge | typeof ANONYMOUS> {
    const url = new URL('/v2/', this.options.registryUrl);
    const response = await this.options.transport.send('ping', url, {
      method: 'GET',
      headers: new Headers(),
      signal,
    });
    await response.body?.cancel();
    if (response.ok) return ANONYMOUS;
    const challenge = parseBearerChallenge(
      response.headers.get('www-authenticate'),
    );
    if (response.status !== 401 || !challenge) {
      throw new RegistryHostError({
        operation: 'GET /v2/',
        status: response.status,
        code: 'NO_BEARER_CHALLENGE',
        message: 'the registry host did not ask for a bearer token',
      });
    }
    if (!isTrustedRealm(challenge.realm, this.options.trustedOrigins)) {
      throw new RegistryHostError({
        operation: 'GET /v2/',
        status: response.status,
        code: 'UNTRUSTED_REALM',
        message: `the token realm ${new URL(challenge.realm).origin} is neither the registry host nor DigitalOcean's API; no credentials were sent`,
      });
    }
    return challenge;
  }

  private async exchange(
    challenge: BearerChallenge,
    registry: string,
    scope: string,
    signal?: AbortSignal,
    beforeRequest?: BeforeRegistryHostRequest,
  ): Promise<HeldToken> {
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    url.searchParams.set('scope', scope);
    const askedAtMs = this.options.now();
    const basic = await this.options.credentials.basicAuthorization(
      registry,
      beforeRequest,
    );
    const response = await this.options.transport.send('token', url, {
      method: 'GET',
      headers: new Headers({ authorization: basic }),
      signal,
      beforeRequest,
    });
    if (!response.ok) {
      if (response.status === 401) this.options.credentials.forget(registry);
      const { code, message } = await distributionError(
        response,
        secretsOf(basic),
      );
      throw new RegistryHostError({
        operation: `GET ${url.pathname}`,
        status: response.status,
        code,
        message: `no token for ${scope}: ${message}`,
      });
    }
    const body = (await response.json()) as {
      token?: string;
      access_token?: string;
      expires_in?: unknown;
    };
    const token = body.access_token || body.token;
    if (!token) {
      throw new RegistryHostError({
        operation: `GET ${url.pathname}`,
        status: response.status,
        code: 'NO_TOKEN',
        message: `the token realm answered without a token for ${scope}`,
      });
    }
    const seconds = tokenSeconds(body.expires_in);
    const held = {
      authorization: `Bearer ${token}`,
      // Renewed with a tenth of its life (at most 30 s) to spare.
      expiresAtMs: askedAtMs + seconds * 1000 - Math.min(30_000, seconds * 100),
    };
    this.held.set(scope, held);
    return held;
  }
}

/** The parts of a Basic authorization an echoing host could repeat: encoded, decoded, each half. */
function secretsOf(basic: string): string[] {
  const encoded = basic.replace(/^Basic /, '');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8').trim();
  return [encoded, decoded, ...decoded.split(':')];
}
