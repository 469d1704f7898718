import {
  docrPolicyUpdatePermission,
  docrRegistryCreatePermission,
} from '@backstage-docr/plugin-docr-common';
import type { DocrStore } from '../database/DocrStore';
import type { Credentials, RegistryAccess } from './access';
import type { KnownRegistries } from './knownRegistries';

/** How long after DigitalOcean created a registry its creator may set its first policy. */
export const NEW_REGISTRY_GRACE_MS = 30 * 60_000;

/**
 * Who may set a registry's policy: `docr.policy.update` on the registry's entity; or, for the
 * first policy of a registry DigitalOcean created less than 30 minutes ago (it has no catalog
 * entity yet, so no rule about its owner can match), `docr.registry.create`. Returns the grant
 * used, for the audit event; throws 403 naming `docr.policy.update` otherwise.
 */
export async function policyGrant(
  deps: {
    access: RegistryAccess;
    store: DocrStore;
    registries: KnownRegistries;
    now: () => Date;
  },
  creds: Credentials,
  name: string,
): Promise<string> {
  const { access, store, registries, now } = deps;
  const allowed = await access.allowedRegistries(
    creds,
    docrPolicyUpdatePermission,
    [name],
  );
  if (allowed.has(name)) return docrPolicyUpdatePermission.name;
  const denied = access.notAllowed(docrPolicyUpdatePermission, name);
  if (await store.getStoredPolicy(name)) throw denied;
  if (!(await access.allows(creds, docrRegistryCreatePermission))) throw denied;
  const createdAt = await registries.createdAt(name);
  const age = now().getTime() - (createdAt ? Date.parse(createdAt) : NaN);
  if (!(age >= -NEW_REGISTRY_GRACE_MS && age < NEW_REGISTRY_GRACE_MS))
    throw denied;
  return `${docrRegistryCreatePermission.name} (first policy of a registry created at ${createdAt})`;
}
