import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  docrRegistryPushPermission,
  docrRegistryReadPermission,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import type { DigitalOceanClients } from '../services/DigitalOceanClients';
import type { InitiatorPermissions } from '../services/InitiatorPermissions';
import type { ActionZod } from './actionSchema';
import { examples } from './dockerConfig.examples';

/** The lifetime of a credential when the template does not ask for one. */
export const DEFAULT_EXPIRY_SECONDS = 3600;
/** The longest lifetime a template may ask for unless config says otherwise. */
export const DEFAULT_MAX_EXPIRY_SECONDS = 86_400;
/** The config key that sets that maximum. */
export const MAX_EXPIRY_CONFIG_KEY =
  'scaffolder.digitalocean.dockerConfig.maxExpiry';
/** DigitalOcean's own limit on a docker credential's lifetime. */
const DIGITALOCEAN_MAX_EXPIRY_SECONDS = 31_536_000;

/** The input of `digitalocean:registry:docker-config`. */
const dockerConfigInput = {
  registryName: (z: ActionZod) => z.string().describe('The registry'),
  expirySeconds: (z: ActionZod) =>
    z
      .number()
      .int()
      .min(60)
      .optional()
      .describe(
        `Lifetime of the credential in seconds (default ${DEFAULT_EXPIRY_SECONDS}; at most ${MAX_EXPIRY_CONFIG_KEY}, one day unless configured)`,
      ),
  readWrite: (z: ActionZod) =>
    z
      .boolean()
      .optional()
      .describe(
        'Push as well as pull (default: pull only). Needs docr.registry.push on the registry',
      ),
  path: (z: ActionZod) =>
    z
      .string()
      .optional()
      .describe(
        'No longer supported: the file is never written into the workspace. Use the dockerConfigDir output',
      ),
  account: (z: ActionZod) =>
    z.string().optional().describe('Account id under digitalocean.accounts'),
};

/** The output of `digitalocean:registry:docker-config`. */
const dockerConfigOutput = {
  dockerConfigDir: (z: ActionZod) =>
    z
      .string()
      .describe(
        'The directory holding config.json, outside the workspace: set DOCKER_CONFIG to it',
      ),
  path: (z: ActionZod) =>
    z.string().describe('The config.json written (absolute path)'),
  expiresAt: (z: ActionZod) =>
    z.string().describe('When the credential stops working'),
};

/**
 * `digitalocean:registry:docker-config`: writes a docker `config.json` with registry credentials
 * for a later step of the same task (e.g. one that runs `docker push` with `DOCKER_CONFIG`).
 *
 * The file is written OUTSIDE the workspace, in a directory of its own next to it, so no
 * `publish:*` step can commit it and workspace serialization never stores it: a credential in a
 * published repository is a leaked credential. The directory is mode 700, the file mode 600, and
 * the directory is removed when the credential expires (best effort: the credential expires
 * anyway). Read-only unless asked; expiring, by default after an hour, at most after the
 * configured maximum; push credentials only for a user allowed `docr.registry.push` on the
 * registry's catalog entity, read-only ones need `docr.registry.read` (checked with the user's
 * credentials). The credential is never logged nor put in an output.
 */
export function dockerConfigAction(options: {
  clients: DigitalOceanClients;
  permissions: InitiatorPermissions;
  /** From `scaffolder.digitalocean.dockerConfig.maxExpiry`; default one day. */
  maxExpirySeconds?: number;
}) {
  const maxExpirySeconds = Math.min(
    options.maxExpirySeconds ?? DEFAULT_MAX_EXPIRY_SECONDS,
    DIGITALOCEAN_MAX_EXPIRY_SECONDS,
  );
  return createTemplateAction({
    id: 'digitalocean:registry:docker-config',
    description:
      'Writes an expiring docker config.json for a registry (read-only by default) into a directory outside the workspace, for later steps; never published.',
    supportsDryRun: true,
    examples,
    schema: { input: dockerConfigInput, output: dockerConfigOutput },
    async handler(ctx) {
      const { registryName, account } = ctx.input;
      const readWrite = ctx.input.readWrite ?? false;
      const expirySeconds = ctx.input.expirySeconds ?? DEFAULT_EXPIRY_SECONDS;
      checkInput(ctx.input.path, expirySeconds, maxExpirySeconds);
      await options.permissions.assertAllowedOnRegistry(
        await ctx.getInitiatorCredentials(),
        readWrite ? docrRegistryPushPermission : docrRegistryReadPermission,
        registryName,
        `get ${readWrite ? 'push' : 'pull'} credentials for registry ${registryName}`,
        account,
      );
      const client = options.clients.forTask(account, ctx.secrets);
      if (!(await client.findRegistry(registryName))) {
        throw new NotFoundError(
          `registryName: no registry "${registryName}" in the account`,
        );
      }
      const kind = readWrite ? 'read-write' : 'read-only';
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would write ${kind} credentials for ${registryName}, expiring in ${expirySeconds} s, outside the workspace`,
        );
        return;
      }
      const written = await writeDockerConfig(client, {
        workspacePath: ctx.workspacePath,
        registryName,
        readWrite,
        expirySeconds,
      });
      ctx.output('dockerConfigDir', written.dir);
      ctx.output('path', written.file);
      ctx.output('expiresAt', written.expiresAt);
      ctx.logger.info(
        `Wrote ${kind} credentials for ${registryName} to ${written.file} (outside the workspace, never published), expiring ${written.expiresAt}`,
      );
    },
  });
}

function checkInput(
  pathInput: string | undefined,
  expirySeconds: number,
  maxExpirySeconds: number,
) {
  if (pathInput !== undefined) {
    throw new InputError(
      'path: docker-config no longer writes into the workspace, where a publish step would commit the credential; remove path and use the step output dockerConfigDir (set DOCKER_CONFIG to it)',
    );
  }
  if (expirySeconds > maxExpirySeconds) {
    throw new InputError(
      `expirySeconds: ${expirySeconds} is longer than the maximum of ${maxExpirySeconds} seconds (${MAX_EXPIRY_CONFIG_KEY})`,
    );
  }
}

/**
 * Writes the credential's config.json next to the workspace, never inside it: publish steps and
 * workspace serialization only read the workspace (same parent as the scaffolder's own step
 * temporary directories). The directory is removed when the credential expires.
 */
async function writeDockerConfig(
  client: DigitalOceanClient,
  options: {
    workspacePath: string;
    registryName: string;
    readWrite: boolean;
    expirySeconds: number;
  },
): Promise<{ dir: string; file: string; expiresAt: string }> {
  const { registryName, readWrite, expirySeconds } = options;
  const dir = await fs.mkdtemp(`${options.workspacePath}_docker-config-`);
  await fs.chmod(dir, 0o700);
  const file = path.join(dir, 'config.json');
  const expiresAt = new Date(Date.now() + expirySeconds * 1000);
  const credentials = await client.getDockerCredentials(registryName, {
    readWrite,
    expirySeconds,
  });
  await fs.writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, {
    mode: 0o600,
  });
  // Best effort: the credential expires on DigitalOcean's side whatever happens here.
  setTimeout(
    () => void fs.rm(dir, { recursive: true, force: true }).catch(() => {}),
    Math.min(expirySeconds * 1000, 2 ** 31 - 1),
  ).unref();
  return { dir, file, expiresAt: expiresAt.toISOString() };
}
