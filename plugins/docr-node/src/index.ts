/**
 * DigitalOcean API client for the DOCR Backstage backend packages.
 *
 * @packageDocumentation
 */

export {
  DigitalOceanClient,
  DIGITALOCEAN_API_URL,
  type DigitalOceanClientOptions,
  type CallOptions,
  type DockerCredentialsOptions,
} from './DigitalOceanClient';
export {
  DigitalOceanAccounts,
  DEFAULT_ACCOUNT_ID,
  readDeclaredEmulator,
  type DigitalOceanAccountConfig,
  type DeclaredEmulator,
} from './config';
export {
  DigitalOceanApiError,
  DigitalOceanRateLimitError,
  DigitalOceanTimeoutError,
  DigitalOceanNetworkError,
  isNotFoundError,
  isConflictError,
} from './errors';
export { digitalOceanAccountsServiceRef } from './service';
