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
  isAppPlatformApp,
  isContainerRegistry,
  isKubernetesCluster,
  isRegistrySubscription,
  hasContainerRepository,
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

const appPlatformAppCard = EntityCardBlueprint.make({
  name: 'app-platform-app',
  params: {
    filter: isAppPlatformApp,
    loader: () =>
      import('./components/AppPlatformAppCard').then(m => (
        <m.AppPlatformAppCard />
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

const maturityCard = EntityCardBlueprint.make({
  name: 'maturity',
  params: {
    filter: isContainerRegistry,
    loader: () =>
      import('./components/MaturityCard').then(m => <m.MaturityCard />),
  },
});

const savingsCard = EntityCardBlueprint.make({
  name: 'savings',
  params: {
    filter: isRegistrySubscription,
    loader: () =>
      import('./components/EntitySavingsCard').then(m => (
        <m.EntitySavingsCard />
      )),
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

const imagesContent = EntityContentBlueprint.make({
  name: 'images',
  params: {
    path: 'images',
    title: 'Images',
    filter: hasContainerRepository,
    loader: () =>
      import('./components/ComponentImagesContent').then(m => (
        <m.ComponentImagesContent />
      )),
  },
});

// Scaffolder form fields: `ui:field: DocrRegistryName | DocrRegion | DocrDoksClusters | DocrTier`.
// One definition each (not a map over the names), so that each extension's type has its own
// name literal and the API report stays stable.
const registryNameFormField = FormFieldBlueprint.make({
  name: 'registry-name',
  params: {
    field: () =>
      import('./scaffolder/formFields').then(m => m.registryNameFormField),
  },
});

const regionFormField = FormFieldBlueprint.make({
  name: 'region',
  params: {
    field: () => import('./scaffolder/formFields').then(m => m.regionFormField),
  },
});

const doksClustersFormField = FormFieldBlueprint.make({
  name: 'doks-clusters',
  params: {
    field: () =>
      import('./scaffolder/formFields').then(m => m.doksClustersFormField),
  },
});

const tierFormField = FormFieldBlueprint.make({
  name: 'tier',
  params: {
    field: () => import('./scaffolder/formFields').then(m => m.tierFormField),
  },
});

/**
 * The docr plugin for apps on the new frontend system: `features: [docrPlugin]`.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'docr',
  extensions: [
    docrApi,
    registryCard,
    gcCard,
    clusterRegistriesCard,
    appPlatformAppCard,
    subscriptionCard,
    savingsCard,
    maturityCard,
    registryContent,
    repositoriesContent,
    imagesContent,
    registryNameFormField,
    regionFormField,
    doksClustersFormField,
    tierFormField,
  ],
});
