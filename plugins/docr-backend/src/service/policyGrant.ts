import { docrPolicyUpdatePermission } from '@backstage-docr/plugin-docr-common';
import type { DocrStore } from '../database/DocrStore';
import type { Credentials, RegistryAccess } from './RegistryAccess';
import type { KnownRegistries } from './KnownRegistries';
import type { RegistryCreationStore } from './RegistryCreationStore';

/** How long after its creation a registry's creator may set its first policy. */
export const NEW_REGISTRY_GRACE_MS = 30 * 60_000;

const within = (age: number) =>
  age >= -NEW_REGISTRY_GRACE_MS && age < NEW_REGISTRY_GRACE_MS;

/**
 * Who may set a registry's policy: `docr.policy.update` on the registry's entity; or, for the
 * first policy of a registry it has no entity for yet (so no rule about its owner can match),
 * the user the scaffolder recorded as creating it in this account (`POST .../creation`, which
 * needs `docr.registry.create` on the account's subscription), within 30 minutes of the record
 * and of DigitalOcean's creation. Returns the grant used, for the audit event; throws 403
 * naming `docr.policy.update` otherwise.
 */
export async function policyGrant(
  deps: {
    access: RegistryAccess;
    store: DocrStore;
    creations: RegistryCreationStore;
    registries: KnownRegistries;
    now: () => Date;
  },
  creds: Credentials,
  name: string,
): Promise<string> {
  const { access, store, creations, registries, now } = deps;
  const allowed = await access.allowedRegistries(
    creds,
    docrPolicyUpdatePermission,
    [name],
  );
  if (allowed.has(name)) return docrPolicyUpdatePermission.name;
  const denied = access.notAllowed(docrPolicyUpdatePermission, name);
  const { principal } = creds;
  if (principal.type !== 'user') throw denied;
  if (await store.getStoredPolicy(name)) throw denied;
  const creation = await creations.find(store.account, name);
  if (creation?.createdBy !== principal.userEntityRef) throw denied;
  if (!within(now().getTime() - creation.recordedAt.getTime())) throw denied;
  const createdAt = await registries.createdAt(name);
  if (!within(now().getTime() - (createdAt ? Date.parse(createdAt) : NaN)))
    throw denied;
  return `first policy of a registry created for ${creation.createdBy} (recorded ${creation.recordedAt.toISOString()}, created ${createdAt})`;
}
