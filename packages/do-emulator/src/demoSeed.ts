import { packagePath } from './packagePath';

/**
 * The demo account shipped with the package: three registries with bloat, two DOKS clusters and
 * App Platform apps that deploy from the registries.
 */
export const demoSeedPath = packagePath('seeds/demo.yaml');

/** An account whose registry has a CI-like history: 3 repositories × 300 commit tags over 90 days. */
export const ciHistorySeedPath = packagePath('seeds/ci-history.yaml');
