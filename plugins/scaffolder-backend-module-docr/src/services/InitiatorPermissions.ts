import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { registryEntityRef } from '@backstage-docr/plugin-docr-common';

/** A permission an action needs on one catalog entity, and what for (named when refused). */
export interface RequiredRight {
  permission: ResourcePermission<'catalog-entity'>;
  /** The entity it is checked on: a registry's, an account's subscription's, a cluster's. */
  resourceRef: string;
  /** What the action would do with it, e.g. "create registry acme-apps". */
  reason: string;
}

/**
 * Permission checks the actions make themselves, with the credentials of the user who ran the
 * template (never the scaffolder's own), before they change anything.
 */
export class InitiatorPermissions {
  constructor(private readonly permissions: PermissionsService) {}

  /**
   * Throws a NotAllowedError naming each refused permission and its entity unless the user holds
   * them all; asks the permission framework once for all of them, so a refusal (in a dry run
   * too) lists everything that would fail, not only the first.
   */
  async assertAllAllowed(
    credentials: BackstageCredentials,
    rights: RequiredRight[],
  ): Promise<void> {
    if (!rights.length) return;
    const decisions = await this.permissions.authorize(
      rights.map(({ permission, resourceRef }) => ({
        permission,
        resourceRef,
      })),
      { credentials },
    );
    const refused = rights.filter(
      (_, i) => decisions[i].result !== AuthorizeResult.ALLOW,
    );
    if (!refused.length) return;
    const who = describe(credentials);
    throw new NotAllowedError(
      `${refused
        .map(
          r =>
            `Not allowed: ${who} lacks the permission ${r.permission.name} on ${r.resourceRef} needed to ${r.reason}`,
        )
        .join('; ')}; nothing was changed`,
    );
  }

  /**
   * Throws a NotAllowedError naming the permission and the registry's catalog entity unless the
   * user holds the permission on that entity (a resource permission, e.g. owners only).
   */
  async assertAllowedOnRegistry(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    registryName: string,
    reason: string,
    account?: string,
  ): Promise<void> {
    await this.assertAllAllowed(credentials, [
      {
        permission,
        resourceRef: registryEntityRef(registryName, account),
        reason,
      },
    ]);
  }
}

function describe(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user') return principal.userEntityRef!;
  if (principal.type === 'service') return `service:${principal.subject}`;
  return 'an anonymous caller';
}
