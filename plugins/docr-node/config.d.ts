import { HumanDuration } from '@backstage/types';

export interface Config {
  /** DigitalOcean API access, shared by every DOCR backend package. */
  digitalocean?: {
    /**
     * API token of the default account. Falls back to the DIGITALOCEAN_TOKEN or
     * DIGITALOCEAN_ACCESS_TOKEN environment variable, as doctl does.
     * @visibility secret
     */
    token?: string;
    /** API base URL of the default account (default https://api.digitalocean.com). */
    apiUrl?: string;
    /** Several DigitalOcean accounts (teams), each with its own token. */
    accounts?: Array<{
      /** How the rest of the config refers to this account, e.g. in catalog providers. */
      id: string;
      /**
       * API token for this account.
       * @visibility secret
       */
      token?: string;
      /** API base URL (default https://api.digitalocean.com); point it at the emulator locally. */
      apiUrl?: string;
    }>;
    /** Time allowed for one HTTP request before it is aborted (default 30 seconds). */
    requestTimeout?: HumanDuration | string;
    /** Retries of a failed request that is safe to repeat (default 3). */
    maxRetries?: number;
    /** Longest wait for a rate limit to reset before giving up (default 2 minutes). */
    maxRateLimitWait?: HumanDuration | string;
  };
}
