import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  docrRegistryReadPermission,
  registryEntityRef,
  subscriptionEntityRef,
} from '@backstage-docr/plugin-docr-common';
import type { AccountScope } from '../accountScopes';

/**
 * The accounts a caller sees listed: those in which they may read something, i.e.
 * `docr.registry.read` on the account's subscription entity or on one of its registries' entities,
 * asked in one call to the permission framework. A policy that lets everyone read lists every
 * account; one that keeps teams apart lists each team its own.
 */
export async function readableAccounts(
  scopes: AccountScope[],
  permissions: PermissionsService,
  credentials: BackstageCredentials,
): Promise<AccountScope[]> {
  const refsByScope = await Promise.all(
    scopes.map(async scope => [
      subscriptionEntityRef(scope.account),
      ...(await scope.store.currentRegistryNames()).map(name =>
        registryEntityRef(name, scope.account),
      ),
    ]),
  );
  const decisions = await permissions.authorize(
    refsByScope.flat().map(resourceRef => ({
      permission: docrRegistryReadPermission,
      resourceRef,
    })),
    { credentials },
  );
  let next = 0;
  return scopes.filter((_, i) => {
    const mine = decisions.slice(next, (next += refsByScope[i].length));
    return mine.some(d => d.result === AuthorizeResult.ALLOW);
  });
}
