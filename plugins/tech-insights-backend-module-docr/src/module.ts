import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { techInsightsFactRetrieversExtensionPoint } from '@backstage-community/plugin-tech-insights-node';
import { createDocrMaturityFactRetriever } from './maturityFactRetriever';

/**
 * Adds the `docr-maturity` fact retriever to Tech Insights: each container registry's maturity
 * level and its checks (schedule it under `techInsights.factRetrievers.docr-maturity`).
 *
 * @public
 */
export const techInsightsModuleDocr = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'docr',
  register(reg) {
    reg.registerInit({
      deps: {
        retrievers: techInsightsFactRetrieversExtensionPoint,
        catalog: catalogServiceRef,
      },
      async init({ retrievers, catalog }) {
        retrievers.addFactRetrievers({
          'docr-maturity': createDocrMaturityFactRetriever({ catalog }),
        });
      },
    });
  },
});
