import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

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
          /**
           * What `POST /api/catalog/digitalocean/refresh` may ask of this provider, so refreshes
           * cannot spend the account's DigitalOcean budget (shared with GC and retention).
           */
          refresh?: {
            /**
             * Shortest time between two runs the route starts (default 1 minute). A request sooner
             * is deferred to the end of the interval; all such requests share one run.
             */
            minInterval?: HumanDuration | string;
            /** Refreshes each user may ask (default 10 every 10 minutes); past it, 429. */
            perUser?: { requests?: number; per?: HumanDuration | string };
          };
        };
      };
    };
  };
}
