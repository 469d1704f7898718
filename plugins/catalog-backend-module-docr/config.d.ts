import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /** DigitalOcean Container Registries and DOKS clusters as catalog Resources. */
      digitalocean?: {
        /** One provider per key; several may read several DigitalOcean accounts. */
        [providerId: string]: {
          /** Account id from the `digitalocean` block (default `default`). */
          account?: string;
          /** Owner entity ref of the emitted Resources, e.g. `group:default/platform`. */
          owner: string;
          /** System entity ref the Resources belong to. */
          system?: string;
          /** `spec.lifecycle` of the Resources (default `production`). */
          lifecycle?: string;
          /** How often to re-read DigitalOcean (default every 30 minutes, 3-minute timeout). */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        };
      };
    };
  };
}
