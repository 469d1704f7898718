import {
  DEFAULT_ACCOUNT_ID,
  accountIdProblem,
} from '@backstage-docr/plugin-docr-common';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { DIGITALOCEAN_API_URL, DigitalOceanClient } from './DigitalOceanClient';
import { RegistryHostClient } from './registryHost/RegistryHostClient';
import { DOCR_REGISTRY_URL } from './registryHost/options';
import {
  RegistryHostSettings,
  readRegistryHostSettings,
} from './registryHost/settings';

/**
 * One DigitalOcean account (team) from the `digitalocean` config block.
 *
 * @public
 */
export interface DigitalOceanAccountConfig {
  id: string;
  apiUrl: string;
  /** The registry host its registries are read through (default https://registry.digitalocean.com). */
  registryUrl: string;
  /** Where the token came from, for messages; never the token itself. */
  tokenSource: string;
  hasToken: boolean;
}

interface ResolvedAccount extends DigitalOceanAccountConfig {
  token?: string;
}

export { DEFAULT_ACCOUNT_ID };

/**
 * The DigitalOcean API emulator that `digitalocean.emulator` declares, for development.
 *
 * @public
 */
export interface DeclaredEmulator {
  host: string;
  port: number;
  /** Its base URL; accounts without an `apiUrl` use it and need no token. */
  url: string;
  /** Port of its registry host (OCI Distribution), the stand-in for registry.digitalocean.com. */
  registryPort: number;
  /** The registry host's base URL; accounts on the emulator without a `registryUrl` use it. */
  registryUrl: string;
  /** `demo`, or the path of a seed file. */
  seed?: string;
  /** How long each step of an emulated garbage collection takes. */
  gcStepMs?: number;
  /** How long reported storage lags a push or a collection. */
  storageLagMs?: number;
}

/**
 * The emulator the config declares under `digitalocean.emulator`, or undefined. Only a declared
 * emulator exempts an account from needing a token: a production config that leaves the block
 * out (or sets it to null over the development config) talks to DigitalOcean or fails to start.
 *
 * @public
 */
export function readDeclaredEmulator(
  config: Config,
): DeclaredEmulator | undefined {
  const block = config.getOptionalConfig('digitalocean.emulator');
  if (!block) return undefined;
  const host = block.getOptionalString('host') ?? '127.0.0.1';
  const port = readPort(block, 'port', 4010);
  const registryPort = readPort(block, 'registryPort', 4012);
  return {
    host,
    port,
    url: `http://${host}:${port}`,
    registryPort,
    registryUrl: `http://${host}:${registryPort}`,
    seed: block.getOptionalString('seed'),
    gcStepMs: optionalDurationMs(block, 'gcStep'),
    storageLagMs: optionalDurationMs(block, 'storageLag'),
  };
}

function readPort(block: Config, key: string, fallback: number): number {
  const port = block.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(
      `digitalocean.emulator.${key} must be a TCP port from 1 to 65535, got ${port}`,
    );
  }
  return port;
}

function optionalDurationMs(block: Config, key: string): number | undefined {
  return block.has(key)
    ? durationToMilliseconds(readDurationFromConfig(block, { key }))
    : undefined;
}

function envToken(): { token?: string; source: string } {
  if (process.env.DIGITALOCEAN_TOKEN)
    return {
      token: process.env.DIGITALOCEAN_TOKEN,
      source: 'DIGITALOCEAN_TOKEN',
    };
  if (process.env.DIGITALOCEAN_ACCESS_TOKEN) {
    return {
      token: process.env.DIGITALOCEAN_ACCESS_TOKEN,
      source: 'DIGITALOCEAN_ACCESS_TOKEN',
    };
  }
  return { source: 'none' };
}

function readAccounts(
  config: Config,
  defaultApiUrl: string,
  /** The registry host of an account that names none: the emulator's for an account on it. */
  defaultRegistryUrl: (apiUrl: string) => string,
): ResolvedAccount[] {
  const block = config.getOptionalConfig('digitalocean');
  const accounts = block?.getOptionalConfigArray('accounts');
  if (accounts?.length) {
    const ids = new Set<string>();
    return accounts.map((account, index) => {
      const id = account.getString('id');
      const problem = accountIdProblem(id);
      if (problem)
        throw new Error(`digitalocean.accounts[${index}].id ${problem}`);
      if (ids.has(id)) {
        throw new Error(
          `digitalocean.accounts[${index}].id "${id}" is used by another account`,
        );
      }
      ids.add(id);
      const configured = account.getOptionalString('token');
      // The environment variables stand in for the default account's token only.
      const fallback =
        id === DEFAULT_ACCOUNT_ID && !configured
          ? envToken()
          : { source: 'none' };
      const token = configured || fallback.token;
      const apiUrl = account.getOptionalString('apiUrl') ?? defaultApiUrl;
      return {
        id,
        apiUrl,
        registryUrl:
          account.getOptionalString('registryUrl') ??
          defaultRegistryUrl(apiUrl),
        token,
        hasToken: Boolean(token),
        tokenSource: configured
          ? `digitalocean.accounts[${index}].token`
          : fallback.source,
      };
    });
  }
  const configured = block?.getOptionalString('token');
  const fallback = configured ? { source: 'none' } : envToken();
  const token = configured || fallback.token;
  const apiUrl = block?.getOptionalString('apiUrl') ?? defaultApiUrl;
  return [
    {
      id: DEFAULT_ACCOUNT_ID,
      apiUrl,
      registryUrl:
        block?.getOptionalString('registryUrl') ?? defaultRegistryUrl(apiUrl),
      token,
      hasToken: Boolean(token),
      tokenSource: configured ? 'digitalocean.token' : fallback.source,
    },
  ];
}

/**
 * The DigitalOcean accounts configured under `digitalocean`, and API clients for them. The
 * block is read once, at start-up, and every account must have a token unless it talks to the
 * emulator the config declares (`digitalocean.emulator`); a missing token fails here, naming the
 * key to set.
 *
 * @public
 */
export class DigitalOceanAccounts {
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

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
