import type { DockerCredentials } from '@backstage-docr/digitalocean-openapi';
import type { DockerCredentialsOptions } from '../client/options';
import { gated, heldOrShared } from './sharedRequest';
import type { BeforeRegistryHostRequest } from './options';

/**
 * Where read-only docker credentials come from: DigitalOcean's API (a DigitalOceanClient).
 *
 * @public
 */
export interface DockerCredentialsSource {
  getDockerCredentials(
    registryName: string,
    options?: DockerCredentialsOptions,
  ): Promise<DockerCredentials>;
}

interface Held {
  /** `Basic <base64 user:password>`, ready for the token realm. */
  basic: string;
  expiresAtMs: number;
}

/**
 * Read-only docker credentials per registry, asked of DigitalOcean with a short lifetime and
 * asked again before they lapse; concurrent callers share one request. The credentials stay in
 * this object's private map: nothing here logs them or puts them in an error.
 */
export class RegistryCredentials {
  private readonly held = new Map<string, Held>();
  private readonly pending = new Map<string, Promise<Held>>();

  constructor(
    private readonly options: {
      source: DockerCredentialsSource;
      lifetimeSeconds: number;
      /** Renewed when less than this is left (default a fifth of the lifetime). */
      renewBeforeSeconds?: number;
      now: () => number;
    },
  ) {}

  /**
   * The `Authorization` value for the registry's token realm; `beforeRequest` is awaited before
   * DigitalOcean is asked for it by this caller (its refusal is this caller's alone: see
   * `GateRefused`).
   */
  async basicAuthorization(
    registry: string,
    beforeRequest?: BeforeRegistryHostRequest,
  ): Promise<string> {
    const held = await heldOrShared(
      () => {
        const current = this.held.get(registry);
        return current &&
          current.expiresAtMs - this.renewMarginMs() > this.options.now()
          ? current
          : undefined;
      },
      () => this.pending.get(registry),
      () => {
        const request = gated(
          beforeRequest && (() => beforeRequest('digitalocean')),
          () => this.ask(registry),
        ).finally(() => this.pending.delete(registry));
        this.pending.set(registry, request);
        return request;
      },
    );
    return held.basic;
  }

  /** Forgets the registry's credentials, after the realm refused them. */
  forget(registry: string): void {
    this.held.delete(registry);
  }

  private renewMarginMs(): number {
    const seconds =
      this.options.renewBeforeSeconds ?? this.options.lifetimeSeconds / 5;
    return seconds * 1000;
  }

  private async ask(registry: string): Promise<Held> {
    const askedAtMs = this.options.now();
    const credentials = await this.options.source.getDockerCredentials(
      registry,
      { readWrite: false, expirySeconds: this.options.lifetimeSeconds },
    );
    const auth = Object.values(credentials.auths ?? {}).find(
      entry => entry?.auth,
    )?.auth;
    if (!auth) {
      throw new Error(
        `DigitalOcean issued no docker credentials for registry "${registry}"`,
      );
    }
    const held = {
      basic: `Basic ${auth}`,
      expiresAtMs: askedAtMs + this.options.lifetimeSeconds * 1000,
    };
    this.held.set(registry, held);
    return held;
  }
}
