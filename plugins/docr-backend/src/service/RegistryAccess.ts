import type {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  registryEntityRef,
  subscriptionEntityRef,
} from '@backstage-docr/plugin-docr-common';
import type { JsonObject } from '@backstage/types';
import type { ApiRequest } from './typedRouter';

export type Credentials = BackstageCredentials<
  BackstageUserPrincipal | BackstageServicePrincipal
>;

type RegistryPermission = ResourcePermission<'catalog-entity'>;

/** Who acts: the user (and the service acting for them), or the service. */
function actorOf(creds: Credentials): string {
  const { principal } = creds;
  if (principal.type === 'user') {
    return principal.actor
      ? `${principal.userEntityRef} (via service:${principal.actor.subject})`
      : principal.userEntityRef;
  }
  return `service:${principal.subject}`;
}

/** Who is recorded as having changed something: the user, or the service. */
export function principalRef(creds: Credentials): string {
  const { principal } = creds;
  return principal.type === 'user'
    ? principal.userEntityRef
    : `service:${principal.subject}`;
}

/**
 * Who the caller is, what the permission framework lets them do on each registry's catalog
 * entity, and the audit trail of what they change.
 */
export class RegistryAccess {
  constructor(
    private readonly deps: {
      httpAuth: HttpAuthService;
      permissions: PermissionsService;
      auditor: AuditorService;
      /** The DigitalOcean account whose registries' entities are checked. */
      account: string;
    },
  ) {}

  /** The registry's catalog entity, in its account's namespace. */
  entityRef(name: string): string {
    return registryEntityRef(name, this.deps.account);
  }

  credentials(req: ApiRequest): Promise<Credentials> {
    return this.deps.httpAuth.credentials(req, { allow: ['user', 'service'] });
  }

  /** Which of the registries the permission allows, in one call to the permission framework. */
  async allowedRegistries(
    creds: Credentials,
    permission: RegistryPermission,
    names: string[],
  ): Promise<Set<string>> {
    if (!names.length) return new Set();
    const decisions = await this.deps.permissions.authorize(
      names.map(name => ({ permission, resourceRef: this.entityRef(name) })),
      { credentials: creds },
    );
    return new Set(
      names.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW),
    );
  }

  /** The account's subscription entity, which account-wide permissions are checked on. */
  get subscriptionRef(): string {
    return subscriptionEntityRef(this.deps.account);
  }

  /**
   * Throws 403 naming the permission and the account's subscription entity unless the permission
   * is allowed on it (creating registries in the account, for one).
   */
  async authorizeOnSubscription(
    creds: Credentials,
    permission: RegistryPermission,
  ): Promise<void> {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission, resourceRef: this.subscriptionRef }],
      { credentials: creds },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name} on ${this.subscriptionRef}`,
      );
    }
  }

  notAllowed(permission: RegistryPermission, name: string): NotAllowedError {
    return new NotAllowedError(
      `Not allowed: ${permission.name} on ${this.entityRef(name)}`,
    );
  }

  /** Throws 403 naming the permission unless it is allowed on the registry's entity. */
  async authorize(
    creds: Credentials,
    permission: RegistryPermission,
    name: string,
  ): Promise<void> {
    if (!(await this.allowedRegistries(creds, permission, [name])).has(name)) {
      throw this.notAllowed(permission, name);
    }
  }

  /**
   * Runs a change as one audit event naming the actor: success with what `fn` adds to the meta,
   * or failure with the error (a 403 included).
   */
  async audited<T>(
    req: ApiRequest,
    creds: Credentials,
    eventId: string,
    meta: JsonObject,
    fn: () => Promise<{ result: T; meta?: JsonObject }>,
  ): Promise<T> {
    const event = await this.deps.auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: req,
      meta: { ...meta, account: this.deps.account, actor: actorOf(creds) },
    });
    try {
      const { result, meta: more } = await fn();
      await event.success(more ? { meta: more } : undefined);
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }
}
