import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples of `digitalocean:registry:integrate-doks`, shown in the actions list. */
export const examples: TemplateExample[] = [
  {
    description: 'Let two clusters pull from acme-prod',
    example: yaml.stringify({
      steps: [
        {
          id: 'integrate',
          action: 'digitalocean:registry:integrate-doks',
          input: {
            registryName: 'acme-prod',
            clusters: ['prod-ams3', 'staging-fra1'],
          },
        },
      ],
    }),
  },
];
