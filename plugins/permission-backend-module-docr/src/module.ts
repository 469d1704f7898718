import { createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DocrOwnersPermissionPolicy } from './DocrOwnersPermissionPolicy';

/**
 * Installs {@link DocrOwnersPermissionPolicy} as the permission backend's policy.
 *
 * @public
 */
export const permissionModuleDocrOwnersPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'docr-owners-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DocrOwnersPermissionPolicy());
      },
    });
  },
});
