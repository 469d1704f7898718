import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { registryEntityRef } from '@backstage-docr/plugin-docr-common';

/**
 * Permission checks the actions make themselves, with the credentials of the user who ran the
 * template (never the scaffolder's own), before they change anything.
 */
export class InitiatorPermissions {
  constructor(private readonly permissions: PermissionsService) {}

  /** Throws a NotAllowedError naming the permission unless the user holds it. */
  async assertAllowed(
    credentials: BackstageCredentials,
    permission: BasicPermission,
    reason: string,
  ): Promise<void> {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${describe(credentials)} lacks the permission ${permission.name} needed to ${reason}; nothing was changed`,
      );
    }
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
    const resourceRef = registryEntityRef(registryName, account);
    const [decision] = await this.permissions.authorize(
      [{ permission, resourceRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${describe(credentials)} lacks the permission ${permission.name} on ${resourceRef} needed to ${reason}; nothing was changed`,
      );
    }
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
