import path from 'node:path';

/** The demo account shipped with the package: three registries with bloat, two DOKS clusters. */
export const demoSeedPath = path.resolve(__dirname, '..', 'seeds', 'demo.yaml');
