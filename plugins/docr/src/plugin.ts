import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DocrClient, docrApiRef } from './api';

/**
 * The docr plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const docrPlugin = createPlugin({
  id: 'docr',
  apis: [
    createApiFactory({
      api: docrApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new DocrClient(deps),
    }),
  ],
});

/** @public */
export const EntityDocrRegistryCard: () => JSX.Element = docrPlugin.provide(
  createComponentExtension({
    name: 'EntityDocrRegistryCard',
    component: {
      lazy: () => import('./components/RegistryCard').then(m => m.RegistryCard),
    },
  }),
);

/** @public */
export const EntityDocrGcCard: () => JSX.Element = docrPlugin.provide(
  createComponentExtension({
    name: 'EntityDocrGcCard',
    component: {
      lazy: () => import('./components/GcCard').then(m => m.GcCard),
    },
  }),
);

/** @public */
export const EntityDocrRegistryContent: () => JSX.Element = docrPlugin.provide(
  createComponentExtension({
    name: 'EntityDocrRegistryContent',
    component: {
      lazy: () =>
        import('./components/RegistryContent').then(m => m.RegistryContent),
    },
  }),
);

/** @public */
export const EntityDocrSubscriptionCard: () => JSX.Element = docrPlugin.provide(
  createComponentExtension({
    name: 'EntityDocrSubscriptionCard',
    component: {
      lazy: () =>
        import('./components/SubscriptionCard').then(m => m.SubscriptionCard),
    },
  }),
);

/** @public */
export const EntityDocrRepositoriesContent: () => JSX.Element =
  docrPlugin.provide(
    createComponentExtension({
      name: 'EntityDocrRepositoriesContent',
      component: {
        lazy: () =>
          import('./components/RepositoriesContent').then(
            m => m.RepositoriesContent,
          ),
      },
    }),
  );

/** @public */
export const EntityDocrClusterRegistriesCard: () => JSX.Element =
  docrPlugin.provide(
    createComponentExtension({
      name: 'EntityDocrClusterRegistriesCard',
      component: {
        lazy: () =>
          import('./components/ClusterRegistriesCard').then(
            m => m.ClusterRegistriesCard,
          ),
      },
    }),
  );

/** An App Platform app's DOCR images, deploy on push and registries. @public */
export const EntityDocrAppPlatformAppCard: () => JSX.Element =
  docrPlugin.provide(
    createComponentExtension({
      name: 'EntityDocrAppPlatformAppCard',
      component: {
        lazy: () =>
          import('./components/AppPlatformAppCard').then(
            m => m.AppPlatformAppCard,
          ),
      },
    }),
  );

/** A Component's images (`digitalocean.com/container-repository`): tags, sizes, pull commands. @public */
export const EntityDocrImagesContent: () => JSX.Element = docrPlugin.provide(
  createComponentExtension({
    name: 'EntityDocrImagesContent',
    component: {
      lazy: () =>
        import('./components/ComponentImagesContent').then(
          m => m.ComponentImagesContent,
        ),
    },
  }),
);
