import {
  DoEmulator,
  demoSeedPath,
  loadSeedFile,
} from '@backstage-docr/do-emulator';

/**
 * Starts the emulator when no DigitalOcean token is configured, on DOCR_EMULATOR_PORT (default
 * 4010), and sets DOCR_EMULATOR_URL, which app-config.yaml uses as `digitalocean.apiUrl`.
 * Garbage collection steps take 5 seconds, so "Run GC now" finishes in about 20.
 */
export async function startDemoEmulatorIfNoToken(): Promise<
  DoEmulator | undefined
> {
  if (process.env.DIGITALOCEAN_TOKEN || process.env.DIGITALOCEAN_ACCESS_TOKEN)
    return undefined;
  const emulator = await DoEmulator.start({
    port: Number(process.env.DOCR_EMULATOR_PORT ?? 4010),
    seed: loadSeedFile(demoSeedPath),
    gcStepMs: Number(process.env.DOCR_EMULATOR_GC_STEP_MS ?? 5000),
  });
  process.env.DOCR_EMULATOR_URL = emulator.url;
  // eslint-disable-next-line no-console
  console.log(
    `No DigitalOcean token: using the DigitalOcean API emulator at ${emulator.url} (demo account)`,
  );
  return emulator;
}
