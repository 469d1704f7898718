import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DocrClient, docrApiRef } from './api';

/** The docr plugin for apps on the legacy frontend system. */
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

export const EntityDocrRegistryCard = docrPlugin.provide(
  createComponentExtension({
    name: 'EntityDocrRegistryCard',
    component: {
      lazy: () => import('./components/RegistryCard').then(m => m.RegistryCard),
    },
  }),
);

export const EntityDocrGcCard = docrPlugin.provide(
  createComponentExtension({
    name: 'EntityDocrGcCard',
    component: {
      lazy: () => import('./components/GcCard').then(m => m.GcCard),
    },
  }),
);

export const EntityDocrRegistryContent = docrPlugin.provide(
  createComponentExtension({
    name: 'EntityDocrRegistryContent',
    component: {
      lazy: () =>
        import('./components/RegistryContent').then(m => m.RegistryContent),
    },
  }),
);

export const EntityDocrSubscriptionCard = docrPlugin.provide(
  createComponentExtension({
    name: 'EntityDocrSubscriptionCard',
    component: {
      lazy: () =>
        import('./components/SubscriptionCard').then(m => m.SubscriptionCard),
    },
  }),
);

export const EntityDocrRepositoriesContent = docrPlugin.provide(
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

export const EntityDocrClusterRegistriesCard = docrPlugin.provide(
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
