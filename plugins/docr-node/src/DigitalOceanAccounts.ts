import { readDurationFromConfig } from '@backstage/config';
import type { Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { DEFAULT_ACCOUNT_ID } from '@backstage-docr/plugin-docr-common';
import { DIGITALOCEAN_API_URL, DigitalOceanClient } from './DigitalOceanClient';
import type { DigitalOceanAccountsService } from './DigitalOceanAccountsService';
import {
  DigitalOceanAccountConfig,
  ResolvedAccount,
  readAccounts,
  readDeclaredEmulator,
  sameOrigin,
} from './config';
import { RegistryHostClient } from './registryHost/RegistryHostClient';
import { DOCR_REGISTRY_URL } from './registryHost/options';
import {
  RegistryHostSettings,
  readRegistryHostSettings,
} from './registryHost/settings';

/**
 * The DigitalOcean accounts configured under `digitalocean`, and API clients for them. The
 * block is read once, at start-up, and every account must have a token unless it talks to the
 * emulator the config declares (`digitalocean.emulator`); a missing token fails here, naming the
 * key to set.
 *
 * @public
 */
export class DigitalOceanAccounts implements DigitalOceanAccountsService {
  private readonly clients = new Map<string, DigitalOceanClient>();
  private readonly registryHosts = new Map<string, RegistryHostClient>();

  private constructor(
    private readonly accounts: ResolvedAccount[],
    private readonly clientOptions: {
      timeoutMs: number;
      maxRetries: number;
      maxRateLimitWaitMs: number;
      logger?: LoggerService;
    },
    private readonly registryHostSettings: RegistryHostSettings,
  ) {}

  static fromConfig(
    config: Config,
    options: { logger?: LoggerService } = {},
  ): DigitalOceanAccounts {
    const block = config.getOptionalConfig('digitalocean');
    const duration = (key: string, fallbackMs: number) =>
      block?.has(key)
        ? durationToMilliseconds(readDurationFromConfig(block, { key }))
        : fallbackMs;
    const maxRetries = block?.getOptionalNumber('maxRetries') ?? 3;
    if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) {
      throw new Error(
        `digitalocean.maxRetries must be a whole number from 0 to 10, got ${maxRetries}`,
      );
    }
    const clientOptions = {
      timeoutMs: duration('requestTimeout', 30_000),
      maxRetries,
      maxRateLimitWaitMs: duration('maxRateLimitWait', 120_000),
      logger: options.logger,
    };
    const emulator = readDeclaredEmulator(config);
    const accounts = readAccounts(
      config,
      emulator?.url ?? DIGITALOCEAN_API_URL,
      apiUrl =>
        emulator && sameOrigin(apiUrl, emulator.url)
          ? emulator.registryUrl
          : DOCR_REGISTRY_URL,
    ).map((account, index, all) => {
      if (account.token) return account;
      if (emulator && sameOrigin(account.apiUrl, emulator.url)) {
        // The emulator accepts any bearer token unless it was started with --token.
        return { ...account, token: 'emulator', tokenSource: 'emulator' };
      }
      const key =
        all.length > 1 || account.id !== DEFAULT_ACCOUNT_ID
          ? `digitalocean.accounts[${index}].token`
          : 'digitalocean.token';
      throw new Error(
        `No DigitalOcean API token for account "${account.id}": set ${key}${
          account.id === DEFAULT_ACCOUNT_ID
            ? ' or the DIGITALOCEAN_TOKEN environment variable'
            : ''
        }. Only the emulator declared under digitalocean.emulator is used without a token${
          account.apiUrl !== DIGITALOCEAN_API_URL
            ? ` (apiUrl ${account.apiUrl} is not it)`
            : ''
        }`,
      );
    });
    return new DigitalOceanAccounts(
      accounts,
      clientOptions,
      readRegistryHostSettings(block),
    );
  }

  list(): DigitalOceanAccountConfig[] {
    return this.accounts.map(({ token: _token, ...account }) => account);
  }

  has(id: string): boolean {
    return this.accounts.some(a => a.id === id);
  }

  /** The API client for an account, one per account; fails naming the accounts configured. */
  client(id: string = DEFAULT_ACCOUNT_ID): DigitalOceanClient {
    const existing = this.clients.get(id);
    if (existing) return existing;
    const account = this.account(id);
    const client = new DigitalOceanClient({
      token: account.token!,
      apiUrl: account.apiUrl,
      ...this.clientOptions,
    });
    this.clients.set(id, client);
    return client;
  }

  /**
   * The account's registry host client (manifests, referrers, tags), one per account so its
   * requests share one pace; read-only docker credentials come from the account's API client.
   */
  registryHost(id: string = DEFAULT_ACCOUNT_ID): RegistryHostClient {
    const existing = this.registryHosts.get(id);
    if (existing) return existing;
    const registryHost = new RegistryHostClient({
      credentials: this.client(id),
      registryUrl: this.account(id).registryUrl,
      ...this.registryHostSettings,
      timeoutMs: this.clientOptions.timeoutMs,
      maxRateLimitWaitMs: this.clientOptions.maxRateLimitWaitMs,
      logger: this.clientOptions.logger,
    });
    this.registryHosts.set(id, registryHost);
    return registryHost;
  }

  private account(id: string): ResolvedAccount {
    const account = this.accounts.find(a => a.id === id);
    if (!account) {
      throw new Error(
        `No DigitalOcean account "${id}" is configured; add it under digitalocean.accounts (configured: ${this.accounts
          .map(a => a.id)
          .join(', ')})`,
      );
    }
    return account;
  }
}
