import type { EmulatedAccount } from '../model/account';
import {
  IssuedCredential,
  credentialExpiresAt,
  findCredential,
} from '../model/credentials';
import { ChallengeError, RegistryResponse, denied } from './response';
import { TokenAccess, TokenSigner } from './TokenSigner';

/** The service DOCR's token realm names, which clients echo back. */
export const REGISTRY_SERVICE = 'registry.digitalocean.com';
/** DOCR's registry tokens are short-lived; docker asks for a new one when it runs out. */
const TOKEN_SECONDS = 300;

export type Action = 'pull' | 'push' | 'delete';

/** What a request needs: an action on `<registry>/<repository>`. */
export interface Scope {
  name: string;
  action: Action;
}

export interface AuthContext {
  account: EmulatedAccount;
  signer: TokenSigner;
  /** The registry host's base URL: the token realm is `${registryUrl}/v2/token`. */
  registryUrl: string;
  authorization?: string;
}

/**
 * Lets the request through when it carries a bearer token granting `scope`, or docker
 * credentials (HTTP Basic) that allow it; without `scope` (`GET /v2/`) any valid one will do.
 */
export function authorize(context: AuthContext, scope?: Scope): void {
  const header = context.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (bearer) {
    const claims = context.signer.verify(bearer, nowSeconds(context));
    if (!claims) {
      throw challenged(
        context,
        scope,
        'invalid or expired token',
        'invalid_token',
      );
    }
    if (scope && !claims.access.some(access => grants(access, scope))) {
      throw challenged(
        context,
        scope,
        `the token does not grant ${scope.action} on ${scope.name}`,
        'insufficient_scope',
      );
    }
    return;
  }
  const basic = parseBasic(header);
  if (!basic) throw challenged(context, scope, 'authentication required');
  const credential = usableCredential(context, basic);
  if (!scope) return;
  if (!allowedActions(credential, scope.name).includes(scope.action)) {
    throw denied(
      `requested access to the resource is denied: read-only credentials cannot ${scope.action} ${scope.name}`,
    );
  }
}

/**
 * The token realm: docker credentials in HTTP Basic and the `scope`s asked for give a token
 * granting what the credentials allow of them (pull for read-only ones, pull and push for
 * read-write ones); expired or unknown credentials get 401, another registry's scope 403.
 */
export function issueToken(context: AuthContext, url: URL): RegistryResponse {
  const basic = parseBasic(context.authorization ?? '');
  if (!basic) {
    throw new ChallengeError(
      'docker credentials are required (HTTP Basic)',
      `Basic realm="${context.registryUrl}/v2/token"`,
    );
  }
  const credential = usableCredential(context, basic);
  const access: TokenAccess[] = requestedScopes(url).map(requested => {
    const allowed = allowedActions(credential, requested.name);
    return {
      type: 'repository',
      name: requested.name,
      actions: requested.actions.filter(a => allowed.includes(a as Action)),
    };
  });
  const now = nowSeconds(context);
  const expiresAt = credentialExpiresAt(credential);
  const expiresIn = Math.max(
    1,
    Math.min(
      TOKEN_SECONDS,
      expiresAt ? Math.floor(expiresAt / 1000) - now : TOKEN_SECONDS,
    ),
  );
  const token = context.signer.sign({
    sub: credential.username,
    aud: url.searchParams.get('service') ?? REGISTRY_SERVICE,
    iat: now,
    exp: now + expiresIn,
    registry: credential.registryName,
    access,
  });
  return {
    status: 200,
    body: {
      token,
      access_token: token,
      expires_in: expiresIn,
      issued_at: new Date(now * 1000).toISOString(),
    },
  };
}

function grants(access: TokenAccess, scope: Scope): boolean {
  if (access.type !== 'repository' || access.name !== scope.name) return false;
  const { actions } = access;
  return (
    actions.includes(scope.action) ||
    actions.includes('*') ||
    (scope.action === 'delete' && actions.includes('push'))
  );
}

/** What the credential allows on `<registry>/<repository>`; another registry's name is 403. */
function allowedActions(credential: IssuedCredential, name: string): Action[] {
  const registry = name.split('/')[0];
  if (credential.registryName && credential.registryName !== registry) {
    throw denied(
      `requested access to the resource is denied: the credentials are for registry ${credential.registryName}, not ${registry}`,
    );
  }
  return credential.readWrite ? ['pull', 'push', 'delete'] : ['pull'];
}

function usableCredential(
  context: AuthContext,
  basic: { username: string; password: string },
): IssuedCredential {
  const { account } = context;
  const credential = findCredential(
    account.issuedCredentials,
    basic.username,
    basic.password,
  );
  const unauthorized = (message: string) =>
    new ChallengeError(message, realmChallenge(context));
  if (!credential) throw unauthorized('unknown docker credentials');
  const expiresAt = credentialExpiresAt(credential);
  if (expiresAt !== undefined && expiresAt <= account.now()) {
    throw unauthorized('the docker credentials have expired');
  }
  return credential;
}

/** `scope=repository:acme/web:pull,push` (repeated, or several separated by spaces). */
function requestedScopes(url: URL) {
  return url.searchParams
    .getAll('scope')
    .flatMap(value => value.split(' '))
    .map(value => /^repository:(.+):([a-z*,]+)$/.exec(value))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(match => ({ name: match[1], actions: match[2].split(',') }));
}

function challenged(
  context: AuthContext,
  scope: Scope | undefined,
  message: string,
  error?: string,
): ChallengeError {
  const actions = { pull: 'pull', push: 'pull,push', delete: 'delete' };
  let challenge = realmChallenge(context);
  if (scope)
    challenge += `,scope="repository:${scope.name}:${actions[scope.action]}"`;
  if (error) challenge += `,error="${error}"`;
  return new ChallengeError(message, challenge);
}

function realmChallenge(context: AuthContext): string {
  return `Bearer realm="${context.registryUrl}/v2/token",service="${REGISTRY_SERVICE}"`;
}

function parseBasic(header: string) {
  const encoded = /^Basic\s+(\S+)\s*$/i.exec(header)?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
  };
}

function nowSeconds(context: AuthContext): number {
  return Math.floor(context.account.now() / 1000);
}
