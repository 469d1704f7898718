import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import type { AccountStorageView } from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import type { DocrStore } from '../database/DocrStore';
import type { PolicyResolver } from '../PolicyResolver';

/**
 * What the database knows of the account's registries. Reads never ask DigitalOcean; only a
 * change to a registry created since the last listing does (`inDigitalOcean`).
 */
export class KnownRegistries {
  constructor(
    private readonly store: DocrStore,
    private readonly policies: PolicyResolver,
    private readonly client: DigitalOceanClient,
  ) {}

  /**
   * The registry in the newest listing, sampled since (a registry the API has just been told
   * about), or with a stored policy (kept, orphaned, when the registry is gone); undefined for
   * a registry the database does not know.
   */
  async find(name: string) {
    const [listing, sample, effective] = await Promise.all([
      this.store.latestListing(),
      this.store.latestSample(name),
      this.policies.resolve(name),
    ]);
    const listedAt = listing[0]?.sampledAt;
    const listed = listing.some(s => s.registryName === name);
    const sampledSince =
      sample !== undefined &&
      (!listedAt || sample.sampledAt.getTime() > listedAt.getTime());
    if (!listed && !sampledSince && effective.source !== 'api')
      return undefined;
    return { storage: sample, effective };
  }

  /**
   * The registry as `find` has it; before the account's first listing 503, after asking for
   * that listing with `listNow`; 404 for a registry the listing does not have.
   */
  async require(name: string, listNow?: () => Promise<void>) {
    const registry = await this.find(name);
    if (registry) return registry;
    if (!(await this.store.lastListingAt())) {
      await listNow?.();
      throw new ServiceUnavailableError(
        `The account's registries have not been listed from DigitalOcean yet; the GC task lists them now, try again in a few seconds`,
      );
    }
    throw new NotFoundError(
      `No registry named "${name}" is known; registries are listed from DigitalOcean every sample interval`,
    );
  }

  /**
   * The account's storage: DigitalOcean bills the subscription's included storage and overage
   * on the sum over all the account's registries, so pages show it once, for the account.
   */
  async accountStorage(): Promise<AccountStorageView> {
    const names = await this.store.currentRegistryNames();
    const samples = [...(await this.store.newestSamples(names)).values()];
    return {
      registryCount: names.length,
      storageBytes: samples.reduce((sum, s) => sum + s.storageBytes, 0),
      sampledAt: samples.length
        ? new Date(
            Math.min(...samples.map(s => s.sampledAt.getTime())),
          ).toISOString()
        : null,
    };
  }

  /** Asks DigitalOcean (only for changes): the registry, or 404. */
  async inDigitalOcean(name: string) {
    const registry = await this.client.findRegistry(name);
    if (!registry)
      throw new NotFoundError(
        `No registry named "${name}" in the DigitalOcean account`,
      );
    return registry;
  }

  /** DigitalOcean's creation time of a registry, if it has one by that name. */
  async createdAt(name: string): Promise<string | undefined> {
    return (await this.client.findRegistry(name))?.created_at ?? undefined;
  }
}
