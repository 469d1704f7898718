import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'A registry that needs at least Basic, in Frankfurt, collected every night in the team’s time zone',
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
    description:
      'A registry that needs Professional, integrated with two DOKS clusters; raises the account’s tier if it is lower',
    example: yaml.stringify({
      steps: [
        {
          id: 'registry',
          action: 'digitalocean:registry:create',
          name: 'Create the registry',
          input: {
            name: 'acme-prod',
            minimumTier: 'professional',
            allowTierRaise: true,
            region: 'ams3',
            doksClusters: ['prod-ams3', 'resource:default/doks-staging-fra1'],
          },
        },
      ],
    }),
  },
];
