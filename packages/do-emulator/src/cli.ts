import { parseArgs } from 'node:util';
import { DoEmulator } from './http/server';
import { loadSeedFile } from './seed';

const USAGE = `Usage: do-emulator [options]

Serves an emulation of DigitalOcean's Container Registry and DOKS registry API under /v2.

Options:
  --port <n>                   port to listen on; 0 picks a free one (default 4010)
  --registry-port <n>          port of the registry host (OCI Distribution, registry.digitalocean.com's
                               stand-in); 0 picks a free one (default 4012, or a free one with --port 0)
  --host <addr>                address to bind (default 127.0.0.1)
  --seed <file.yaml>           registries, DOKS clusters and images to start with
  --gc-step-ms <n>             time each garbage collection status lasts (default 2000)
  --storage-lag-ms <n>         how long reported storage lags a push or a GC, as on DigitalOcean (default 0)
  --latency-ms <n>             latency added to every API request (default 0)
  --rate-limit-per-minute <n>  requests per minute per token before 429 (default 250)
  --token <t>                  the only bearer token accepted (default: any)
  --validate-responses         check every response against the OpenAPI spec
  -h, --help                   show this help`;

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  }
  return parsed;
}

export async function main(
  argv: string[] = process.argv.slice(2),
): Promise<DoEmulator | undefined> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'registry-port': { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'gc-step-ms': { type: 'string' },
      'storage-lag-ms': { type: 'string' },
      'latency-ms': { type: 'string' },
      'rate-limit-per-minute': { type: 'string' },
      token: { type: 'string' },
      'validate-responses': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const port = integer('port', values.port, 4010);
  const emulator = await DoEmulator.start({
    port,
    registryPort: integer(
      'registry-port',
      values['registry-port'],
      port === 0 ? 0 : 4012,
    ),
    host: values.host ?? '127.0.0.1',
    seed: values.seed ? loadSeedFile(values.seed) : undefined,
    gcStepMs: integer('gc-step-ms', values['gc-step-ms'], 2000),
    storageLagMs: integer('storage-lag-ms', values['storage-lag-ms'], 0),
    latencyMs: integer('latency-ms', values['latency-ms'], 0),
    rateLimitPerMinute: integer(
      'rate-limit-per-minute',
      values['rate-limit-per-minute'],
      250,
    ),
    token: values.token,
    validateResponses: values['validate-responses'] ?? false,
  });
  console.log(`do-emulator listening on ${emulator.url}`);
  console.log(`do-emulator registry host listening on ${emulator.registryUrl}`);
  const shutdown = () => {
    emulator.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return emulator;
}
