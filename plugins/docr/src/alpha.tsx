import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { DocrClient, docrApiRef } from './api';
import {
  isContainerRegistry,
  isKubernetesCluster,
  isRegistrySubscription,
} from './filters';

const docrApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: docrApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new DocrClient(deps),
    }),
});

const registryCard = EntityCardBlueprint.make({
  name: 'registry',
  params: {
    filter: isContainerRegistry,
    loader: () =>
      import('./components/RegistryCard').then(m => <m.RegistryCard />),
  },
});

const gcCard = EntityCardBlueprint.make({
  name: 'garbage-collection',
  params: {
    filter: isContainerRegistry,
    loader: () => import('./components/GcCard').then(m => <m.GcCard />),
  },
});

const clusterRegistriesCard = EntityCardBlueprint.make({
  name: 'cluster-registries',
  params: {
    filter: isKubernetesCluster,
    loader: () =>
      import('./components/ClusterRegistriesCard').then(m => (
        <m.ClusterRegistriesCard />
      )),
  },
});

const subscriptionCard = EntityCardBlueprint.make({
  name: 'registry-subscription',
  params: {
    filter: isRegistrySubscription,
    loader: () =>
      import('./components/SubscriptionCard').then(m => <m.SubscriptionCard />),
  },
});

const registryContent = EntityContentBlueprint.make({
  name: 'registry',
  params: {
    path: 'registry',
    title: 'Registry',
    filter: isContainerRegistry,
    loader: () =>
      import('./components/RegistryContent').then(m => <m.RegistryContent />),
  },
});

const repositoriesContent = EntityContentBlueprint.make({
  name: 'repositories',
  params: {
    path: 'repositories',
    title: 'Repositories',
    filter: isContainerRegistry,
    loader: () =>
      import('./components/RepositoriesContent').then(m => (
        <m.RepositoriesContent />
      )),
  },
});

// Scaffolder form fields: `ui:field: DocrRegistryName | DocrRegion | DocrDoksClusters | DocrTier`.
const formFields = (
  [
    ['registry-name', 'registryNameFormField'],
    ['region', 'regionFormField'],
    ['doks-clusters', 'doksClustersFormField'],
    ['tier', 'tierFormField'],
  ] as const
).map(([name, field]) =>
  FormFieldBlueprint.make({
    name,
    params: {
      field: () => import('./scaffolder/formFields').then(m => m[field]),
    },
  }),
);

/** The docr plugin for apps on the new frontend system: `features: [docrPlugin]`. */
export default createFrontendPlugin({
  pluginId: 'docr',
  extensions: [
    docrApi,
    registryCard,
    gcCard,
    clusterRegistriesCard,
    subscriptionCard,
    registryContent,
    repositoriesContent,
    ...formFields,
  ],
});
