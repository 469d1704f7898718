import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples of `digitalocean:registry:docker-config`, shown in the actions list. */
export const examples: TemplateExample[] = [
  {
    description:
      'Pull credentials valid for an hour, for a later step that runs docker with DOCKER_CONFIG',
    example: yaml.stringify({
      steps: [
        {
          id: 'docker-config',
          action: 'digitalocean:registry:docker-config',
          input: { registryName: 'acme-prod' },
        },
      ],
    }),
  },
  {
    description:
      'Push credentials for 15 minutes (the user must be allowed docr.registry.push on the registry)',
    example: yaml.stringify({
      steps: [
        {
          id: 'docker-config',
          action: 'digitalocean:registry:docker-config',
          input: {
            registryName: 'acme-prod',
            readWrite: true,
            expirySeconds: 900,
          },
        },
      ],
    }),
  },
];
