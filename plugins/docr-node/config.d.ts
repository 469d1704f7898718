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
    /**
     * API base URL of the default account (default https://api.digitalocean.com, or the declared
     * emulator's URL).
     */
    apiUrl?: string;
    /**
     * Registry host of the default account, read for manifests, referrers and tags (OCI
     * Distribution API; default https://registry.digitalocean.com, or the declared emulator's
     * when the account talks to the emulator).
     */
    registryUrl?: string;
    /**
     * How each account's requests to the registry host are paced. DigitalOcean does not publish
     * the registry host's limits; a 429 is waited out as its Retry-After says.
     */
    registryHost?: {
      /** Requests in flight at once per account (1 to 64, default 4). */
      maxConcurrency?: number;
      /** Requests started per second per account (above 0, at most 1000; default 10). */
      requestsPerSecond?: number;
    };
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
      /**
       * Registry host (default https://registry.digitalocean.com, or the declared emulator's when
       * `apiUrl` is the emulator's).
       */
      registryUrl?: string;
    }>;
    /**
     * For development only: the DigitalOcean API emulator (`@backstage-docr/do-emulator`, a private
     * package of the backstage-docr repository, not published).
     * When declared, the portal's backend starts it in-process, and accounts without an `apiUrl`
     * talk to it and need no token. Left out (or set to null over a development config), every
     * account needs a token and the backend fails at start-up without one.
     */
    emulator?: {
      /** Interface it listens on (default 127.0.0.1). */
      host?: string;
      /** Port it listens on (default 4010). */
      port?: number;
      /**
       * Port of its registry host (OCI Distribution API, the stand-in for
       * registry.digitalocean.com), on the same interface (default 4012).
       */
      registryPort?: number;
      /** `demo` (three registries, two DOKS clusters) or the path of a seed YAML file. */
      seed?: string;
      /** How long each step of an emulated garbage collection takes (default 5 seconds). */
      gcStep?: HumanDuration | string;
      /**
       * How long the emulator's `storage_usage_bytes` lags a push or a collection, as
       * DigitalOcean's does (it updates storage asynchronously); default none.
       */
      storageLag?: HumanDuration | string;
    };
    /** Time allowed for one HTTP request before it is aborted (default 30 seconds). */
    requestTimeout?: HumanDuration | string;
    /** Retries of a failed request that is safe to repeat (default 3). */
    maxRetries?: number;
    /** Longest wait for a rate limit to reset before giving up (default 2 minutes). */
    maxRateLimitWait?: HumanDuration | string;
  };
}
