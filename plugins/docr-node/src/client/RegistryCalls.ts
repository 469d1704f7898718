import type {
  DockerCredentials,
  Region,
  Registry,
  RegistryOptions,
  Subscription,
} from '@backstage-docr/digitalocean-openapi';
import { CallOptions, DockerCredentialsOptions } from './options';
import { ApiCalls } from './ApiCalls';

/** Registries, the account's subscription and options, regions, docker credentials. */
export class RegistryCalls {
  constructor(private readonly calls: ApiCalls) {}

  async listRegistries(options?: CallOptions): Promise<Registry[]> {
    const data = await this.calls.unwrap(
      this.calls.api.GET('/v2/registries', { signal: options?.signal }),
    );
    return data.registries ?? [];
  }

  async getRegistry(name: string, options?: CallOptions): Promise<Registry> {
    const data = await this.calls.unwrap(
      this.calls.api.GET('/v2/registries/{registry_name}', {
        params: { path: { registry_name: name } },
        signal: options?.signal,
      }),
    );
    return data.registry!;
  }

  async findRegistry(
    name: string,
    options?: CallOptions,
  ): Promise<Registry | undefined> {
    return this.calls.orUndefinedOn404(this.getRegistry(name, options));
  }

  async createRegistry(
    input: {
      name: string;
      subscriptionTier?: 'starter' | 'basic' | 'professional';
      region?: string;
    },
    options?: CallOptions,
  ): Promise<Registry> {
    const data = await this.calls.unwrap(
      this.calls.api.POST('/v2/registries', {
        body: {
          name: input.name,
          subscription_tier_slug: input.subscriptionTier,
          region: input.region as any,
        },
        signal: options?.signal,
      }),
    );
    return data.registry!;
  }

  async deleteRegistry(name: string, options?: CallOptions): Promise<void> {
    await this.calls.unwrap(
      this.calls.api.DELETE('/v2/registries/{registry_name}', {
        params: { path: { registry_name: name } },
        signal: options?.signal,
      }),
    );
  }

  async isRegistryNameAvailable(
    name: string,
    options?: CallOptions,
  ): Promise<boolean> {
    const result = await this.calls.api.POST('/v2/registries/validate-name', {
      body: { name },
      signal: options?.signal,
    });
    if (result.response.status === 409) return false;
    await this.calls.unwrap(Promise.resolve(result));
    return true;
  }

  async getSubscription(
    options?: CallOptions,
  ): Promise<Subscription | undefined> {
    return this.calls.orUndefinedOn404(
      this.calls
        .unwrap(
          this.calls.api.GET('/v2/registries/subscription', {
            signal: options?.signal,
          }),
        )
        .then(d => d.subscription!),
    );
  }

  async updateSubscription(
    tierSlug: 'starter' | 'basic' | 'professional',
    options?: CallOptions,
  ): Promise<Subscription> {
    const data = await this.calls.unwrap(
      this.calls.api.POST('/v2/registries/subscription', {
        body: { tier_slug: tierSlug },
        signal: options?.signal,
      }),
    );
    return data.subscription!;
  }

  async getOptions(options?: CallOptions): Promise<Required<RegistryOptions>> {
    const data = await this.calls.unwrap(
      this.calls.api.GET('/v2/registries/options', { signal: options?.signal }),
    );
    return {
      available_regions: data.options?.available_regions ?? [],
      subscription_tiers: data.options?.subscription_tiers ?? [],
    };
  }

  async listRegions(options?: CallOptions): Promise<Region[]> {
    return this.calls.listAllPages(
      query =>
        this.calls.api.GET('/v2/regions', {
          params: { query },
          signal: options?.signal,
        }),
      data => data.regions ?? [],
    );
  }

  async getDockerCredentials(
    registryName: string,
    options: DockerCredentialsOptions = {},
  ): Promise<DockerCredentials> {
    return this.calls.unwrap(
      this.calls.api.GET('/v2/registries/{registry_name}/docker-credentials', {
        params: {
          path: { registry_name: registryName },
          query: {
            read_write: options.readWrite ?? false,
            expiry_seconds: options.expirySeconds ?? 0,
          },
        },
        signal: options.signal,
      }),
    );
  }
}
