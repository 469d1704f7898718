import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'A Basic registry in Frankfurt, collected every night in the team’s time zone',
    example: yaml.stringify({
      steps: [
        {
          id: 'registry',
          action: 'digitalocean:registry:create',
          name: 'Create the registry',
          input: {
            name: 'acme-staging',
            subscriptionTier: 'basic',
            region: 'fra1',
            garbageCollection: {
              enabled: true,
              type: 'untagged manifests and unreferenced blobs',
              window: {
                days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
                start: '02:00',
                duration: 'PT1H',
                timezone: 'Europe/Berlin',
              },
            },
          },
        },
      ],
    }),
  },
  {
    description: 'A Professional registry integrated with two DOKS clusters',
    example: yaml.stringify({
      steps: [
        {
          id: 'registry',
          action: 'digitalocean:registry:create',
          name: 'Create the registry',
          input: {
            name: 'acme-prod',
            subscriptionTier: 'professional',
            region: 'ams3',
            doksClusters: ['prod-ams3', 'resource:default/doks-staging-fra1'],
          },
        },
      ],
    }),
  },
];
