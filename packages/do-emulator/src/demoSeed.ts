import { resolvePackagePath } from '@backstage/backend-plugin-api';

/** The demo account shipped with the package: three registries with bloat, two DOKS clusters. */
export const demoSeedPath = resolvePackagePath(
  '@backstage-docr/do-emulator',
  'seeds/demo.yaml',
);
