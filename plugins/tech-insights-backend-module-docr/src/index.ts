/**
 * Tech Insights facts of DigitalOcean Container Registries: each registry's maturity level and
 * the checks that decide it.
 *
 * @packageDocumentation
 */

export { techInsightsModuleDocr as default } from './module';
export { createDocrMaturityFactRetriever } from './maturityFactRetriever';
