import { createPermission } from '@backstage/plugin-permission-common';

/** Start a garbage collection now (or cancel one), outside the scheduled windows. */
export const docrGarbageCollectionRunPermission = createPermission({
  name: 'docr.garbage-collection.run',
  attributes: { action: 'update' },
});

/** Change a registry's garbage collection policy. */
export const docrPolicyUpdatePermission = createPermission({
  name: 'docr.policy.update',
  attributes: { action: 'update' },
});

export const docrPermissions = [
  docrGarbageCollectionRunPermission,
  docrPolicyUpdatePermission,
];
