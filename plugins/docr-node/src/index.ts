/**
 * DigitalOcean API client for the DOCR Backstage backend packages.
 *
 * @packageDocumentation
 */

export {
  DigitalOceanClient,
  DIGITALOCEAN_API_URL,
  type DigitalOceanClientClock,
  type DigitalOceanClientOptions,
  type CallOptions,
  type DockerCredentialsOptions,
} from './DigitalOceanClient';
export { DigitalOceanAccounts } from './DigitalOceanAccounts';
export type { DigitalOceanAccountsService } from './DigitalOceanAccountsService';
export {
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
export {
  RateLimiter,
  TooManyRequestsError,
  type RateLimit,
} from './limits/RateLimiter';
export { tooManyRequestsHandler } from './limits/tooManyRequestsHandler';
export { RegistryHostClient } from './registryHost/RegistryHostClient';
export {
  DOCR_REGISTRY_URL,
  type BeforeRegistryHostRequest,
  type RegistryHostCallOptions,
  type RegistryHostRequestTarget,
  type RegistryHostClientOptions,
  type RegistryManifest,
  type ManifestHead,
} from './registryHost/options';
export type { DockerCredentialsSource } from './registryHost/RegistryCredentials';
export type {
  RegistryHostCallCounts,
  RegistryHostCallKind,
} from './registryHost/RegistryHostTransport';
export {
  RegistryHostError,
  isManifestUnknownError,
} from './registryHost/errors';
export {
  MANIFEST_MEDIA_TYPES,
  isIndexMediaType,
  type ManifestMediaType,
  type ManifestDocument,
  type OciDescriptor,
  type OciImageIndex,
  type OciImageManifest,
  type OciPlatform,
} from './registryHost/ociTypes';
