/*
 * The portal's backend. When the config declares `digitalocean.emulator` (app-config.yaml does)
 * it starts the DigitalOcean API emulator in-process with the demo account (three registries
 * with bloat, two DOKS clusters); without the declaration (app-config.production.yaml) the same
 * plugins talk to the real API with the configured token.
 */
import { createBackend } from '@backstage/backend-defaults';
import { digitalOceanAccountsWithDeclaredEmulator } from './emulator';

async function main() {
  const backend = createBackend();
  backend.add(digitalOceanAccountsWithDeclaredEmulator);
  backend.add(import('@backstage/plugin-app-backend'));
  backend.add(import('@backstage/plugin-auth-backend'));
  backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
  backend.add(import('@backstage/plugin-permission-backend'));
  // Owners act on their registries, everyone reads (not allow-all, in production too).
  backend.add(import('@backstage-docr/plugin-permission-backend-module-docr'));
  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(
    import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  );
  backend.add(import('@backstage-docr/plugin-catalog-backend-module-docr'));
  backend.add(import('@backstage/plugin-scaffolder-backend'));
  backend.add(import('@backstage-docr/plugin-scaffolder-backend-module-docr'));
  backend.add(import('@backstage-docr/plugin-docr-backend'));
  // The docr backend tells registry owners through these (the app's bell and page).
  backend.add(import('@backstage/plugin-notifications-backend'));
  backend.add(import('@backstage/plugin-signals-backend'));
  await backend.start();
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
