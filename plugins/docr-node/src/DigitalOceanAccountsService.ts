import type { DigitalOceanClient } from './DigitalOceanClient';
import type { DigitalOceanAccountConfig } from './config';
import type { RegistryHostClient } from './registryHost/RegistryHostClient';

/**
 * The DigitalOcean accounts of a backend and one client of each kind per account, shared by
 * every plugin and module that depends on `digitalOceanAccountsServiceRef`: they share one rate
 * budget per account. Tests and other backends may provide their own implementation.
 *
 * @public
 */
export interface DigitalOceanAccountsService {
  /** The accounts configured, without their tokens. */
  list(): DigitalOceanAccountConfig[];
  has(id: string): boolean;
  /** The account's DigitalOcean API client; fails naming the accounts configured. */
  client(id?: string): DigitalOceanClient;
  /** The account's registry host client (manifests, referrers, tags). */
  registryHost(id?: string): RegistryHostClient;
}
