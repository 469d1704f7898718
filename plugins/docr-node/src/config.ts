import {
  DEFAULT_ACCOUNT_ID,
  accountIdProblem,
} from '@backstage-docr/plugin-docr-common';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

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

/** An account with its token, which never leaves this package. */
export interface ResolvedAccount extends DigitalOceanAccountConfig {
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

export function readAccounts(
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

/** Whether two URLs have the same scheme, host and port. */
export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
