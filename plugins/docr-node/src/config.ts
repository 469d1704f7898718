import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { DIGITALOCEAN_API_URL, DigitalOceanClient } from './DigitalOceanClient';

/** One DigitalOcean account (team) from the `digitalocean` config block. */
export interface DigitalOceanAccountConfig {
  id: string;
  apiUrl: string;
  /** Where the token came from, for messages; never the token itself. */
  tokenSource: string;
  hasToken: boolean;
}

interface ResolvedAccount extends DigitalOceanAccountConfig {
  token?: string;
}

export const DEFAULT_ACCOUNT_ID = 'default';

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

function readAccounts(config: Config): ResolvedAccount[] {
  const block = config.getOptionalConfig('digitalocean');
  const accounts = block?.getOptionalConfigArray('accounts');
  if (accounts?.length) {
    const ids = new Set<string>();
    return accounts.map((account, index) => {
      const id = account.getString('id');
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
      return {
        id,
        apiUrl: account.getOptionalString('apiUrl') ?? DIGITALOCEAN_API_URL,
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
  return [
    {
      id: DEFAULT_ACCOUNT_ID,
      apiUrl: block?.getOptionalString('apiUrl') ?? DIGITALOCEAN_API_URL,
      token,
      hasToken: Boolean(token),
      tokenSource: configured ? 'digitalocean.token' : fallback.source,
    },
  ];
}

/**
 * The DigitalOcean accounts configured under `digitalocean`, and API clients for them. The
 * block is read once; a token is required for the real API and optional for an emulator URL.
 */
export class DigitalOceanAccounts {
  private readonly clients = new Map<string, DigitalOceanClient>();

  private constructor(
    private readonly accounts: ResolvedAccount[],
    private readonly clientOptions: {
      timeoutMs: number;
      maxRetries: number;
      maxRateLimitWaitMs: number;
      logger?: LoggerService;
    },
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
    return new DigitalOceanAccounts(readAccounts(config), {
      timeoutMs: duration('requestTimeout', 30_000),
      maxRetries,
      maxRateLimitWaitMs: duration('maxRateLimitWait', 120_000),
      logger: options.logger,
    });
  }

  list(): DigitalOceanAccountConfig[] {
    return this.accounts.map(({ token: _token, ...account }) => account);
  }

  has(id: string): boolean {
    return this.accounts.some(a => a.id === id);
  }

  /** The API client for an account; fails with a message naming the config key to set. */
  client(id: string = DEFAULT_ACCOUNT_ID): DigitalOceanClient {
    const existing = this.clients.get(id);
    if (existing) return existing;
    const account = this.accounts.find(a => a.id === id);
    if (!account) {
      throw new Error(
        `No DigitalOcean account "${id}" is configured; add it under digitalocean.accounts (configured: ${this.accounts
          .map(a => a.id)
          .join(', ')})`,
      );
    }
    let token = account.token;
    if (!token) {
      if (account.apiUrl === DIGITALOCEAN_API_URL) {
        const key =
          this.accounts.length > 1 || account.id !== DEFAULT_ACCOUNT_ID
            ? `digitalocean.accounts[${this.accounts.indexOf(account)}].token`
            : 'digitalocean.token';
        throw new Error(
          `No DigitalOcean API token for account "${id}": set ${key}${
            id === DEFAULT_ACCOUNT_ID
              ? ' or the DIGITALOCEAN_TOKEN environment variable'
              : ''
          }, or point apiUrl at the DigitalOcean API emulator`,
        );
      }
      // The emulator accepts any bearer token unless it was started with --token.
      token = 'emulator';
    }
    const client = new DigitalOceanClient({
      token,
      apiUrl: account.apiUrl,
      ...this.clientOptions,
    });
    this.clients.set(id, client);
    return client;
  }
}
