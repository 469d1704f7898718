import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import type { DigitalOceanClients } from '../services/DigitalOceanClients';

/**
 * `digitalocean:registry:docker-config`: writes a docker `config.json` with registry credentials
 * into the workspace, for a scaffolded repository's CI. Read-only unless asked; the credential
 * must expire; it is written with mode 600 and never logged nor put in an output.
 */
export function dockerConfigAction(options: { clients: DigitalOceanClients }) {
  return createTemplateAction({
    id: 'digitalocean:registry:docker-config',
    description:
      'Writes a docker config.json for a registry into the workspace (read-only by default, expiring).',
    supportsDryRun: true,
    examples: [
      {
        description: 'Pull credentials for CI, valid for 30 days',
        example: yaml.stringify({
          steps: [
            {
              id: 'docker-config',
              action: 'digitalocean:registry:docker-config',
              input: {
                registryName: 'acme-prod',
                expirySeconds: 2592000,
                path: '.ci/docker/config.json',
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        registryName: z => z.string().describe('The registry'),
        expirySeconds: z =>
          z
            .number()
            .int()
            .min(60)
            .max(31_536_000)
            .describe(
              'Lifetime of the credential in seconds (required: no credential lives forever)',
            ),
        readWrite: z =>
          z
            .boolean()
            .optional()
            .describe('Push as well as pull (default: pull only)'),
        path: z =>
          z
            .string()
            .optional()
            .describe(
              'Where to write it in the workspace (default .docker/config.json)',
            ),
        account: z =>
          z
            .string()
            .optional()
            .describe('Account id under digitalocean.accounts'),
      },
      output: {
        path: z =>
          z.string().describe('The file written, relative to the workspace'),
        expiresAt: z =>
          z.string().describe('When the credential stops working'),
      },
    },
    async handler(ctx) {
      const client = options.clients.forTask(ctx.input.account, ctx.secrets);
      const relative = ctx.input.path ?? '.docker/config.json';
      const target = resolveSafeChildPath(ctx.workspacePath, relative);
      const readWrite = ctx.input.readWrite ?? false;
      const expiresAt = new Date(
        Date.now() + ctx.input.expirySeconds * 1000,
      ).toISOString();
      ctx.output('path', relative);
      ctx.output('expiresAt', expiresAt);
      if (!(await client.findRegistry(ctx.input.registryName))) {
        throw new NotFoundError(
          `registryName: no registry "${ctx.input.registryName}" in the account`,
        );
      }
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would write ${readWrite ? 'read-write' : 'read-only'} credentials to ${relative}`,
        );
        return;
      }
      const credentials = await client.getDockerCredentials(
        ctx.input.registryName,
        {
          readWrite,
          expirySeconds: ctx.input.expirySeconds,
        },
      );
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, `${JSON.stringify(credentials, null, 2)}\n`, {
        mode: 0o600,
      });
      ctx.logger.info(
        `Wrote ${readWrite ? 'read-write' : 'read-only'} registry credentials to ${relative}, expiring ${expiresAt}`,
      );
    },
  });
}
