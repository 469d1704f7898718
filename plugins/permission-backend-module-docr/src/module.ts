import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DocrOwnersPermissionPolicy } from './DocrOwnersPermissionPolicy';

/**
 * Installs {@link DocrOwnersPermissionPolicy} as the permission backend's policy, with its options
 * from config (`catalog.providers.digitalocean`, `docr.permissions`).
 *
 * @public
 */
export const permissionModuleDocrOwnersPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'docr-owners-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(DocrOwnersPermissionPolicy.fromConfig(config));
      },
    });
  },
});
