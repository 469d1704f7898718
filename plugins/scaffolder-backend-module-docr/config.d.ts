import type { HumanDuration } from '@backstage/types';

export interface Config {
  scaffolder?: {
    digitalocean?: {
      dockerConfig?: {
        /**
         * The longest lifetime a template may ask of a credential written by
         * `digitalocean:registry:docker-config` (its `expirySeconds`; default one hour). Default:
         * one day; DigitalOcean's own limit is one year. A duration such as "12h", "P7D" or
         * { days: 7 }.
         */
        maxExpiry?: HumanDuration | string;
      };
    };
  };
}
