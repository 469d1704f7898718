import { Knex } from 'knex';
import { toDate } from './rowValues';
import type { StorageSample, StorageStore } from './StorageStore';

/**
 * One account's storage samples and full listings in the plugin's database
 * (`docr_storage_samples`, `docr_account_listings`).
 */
export class DatabaseStorageStore implements StorageStore {
  constructor(
    private readonly db: Knex,
    private readonly account: string,
  ) {}

  /** The account's samples. */
  private samples() {
    return this.db('docr_storage_samples').where({ account: this.account });
  }

  /** The account's full listings. */
  private listings() {
    return this.db('docr_account_listings').where({ account: this.account });
  }

  async insertSamples(samples: StorageSample[]): Promise<void> {
    if (!samples.length) return;
    await this.db('docr_storage_samples').insert(
      samples.map(s => ({
        account: this.account,
        registry_name: s.registryName,
        storage_bytes: s.storageBytes,
        sampled_at: s.sampledAt,
        full_listing: s.fullListing ?? false,
      })),
    );
  }

  /** Records a full listing of the account, with its samples (none when it has no registry). */
  async recordListing(samples: StorageSample[], listedAt: Date): Promise<void> {
    await this.insertSamples(samples.map(s => ({ ...s, fullListing: true })));
    await this.db('docr_account_listings').insert({
      account: this.account,
      listed_at: listedAt,
      registry_count: samples.length,
    });
  }

  /**
   * The account's registries as far as we know: those of the newest listing, and those sampled
   * since (created through the portal after it), so the account's figures count a new registry
   * at once instead of after the next listing.
   */
  async currentRegistryNames(): Promise<string[]> {
    const [listedAt, listing] = await Promise.all([
      this.lastListingAt(),
      this.latestListing(),
    ]);
    const names = new Set(listing.map(s => s.registryName));
    if (listedAt) {
      const since = await this.samples()
        .where('sampled_at', '>', listedAt)
        .distinct('registry_name');
      for (const row of since) names.add(row.registry_name);
    }
    return [...names].sort();
  }

  /** When the account was last listed in full. */
  async lastListingAt(): Promise<Date | undefined> {
    const row = await this.listings().max({ at: 'listed_at' }).first();
    return toDate(row?.at ?? null);
  }

  /** The registries of the newest full listing: the registry set the tick works on. */
  async latestListing(): Promise<StorageSample[]> {
    const listedAt = this.listings().max('listed_at');
    const rows = await this.samples()
      .where({ full_listing: true })
      .where('sampled_at', '=', listedAt)
      .orderBy('registry_name');
    return rows.map(r => ({
      registryName: r.registry_name,
      storageBytes: Number(r.storage_bytes),
      sampledAt: toDate(r.sampled_at)!,
    }));
  }

  /**
   * The newest sample of each named registry, from a full listing or not (one after a GC is
   * newer than the hourly listing), in one query.
   */
  async newestSamples(names: string[]): Promise<Map<string, StorageSample>> {
    if (!names.length) return new Map();
    const newest = this.samples()
      .whereIn('registry_name', names)
      .groupBy('registry_name')
      .select('registry_name')
      .max({ newest_at: 'sampled_at' })
      .as('n');
    const rows = await this.db('docr_storage_samples as s')
      .where('s.account', this.account)
      .join(newest, join =>
        join
          .on('s.registry_name', '=', 'n.registry_name')
          .andOn('s.sampled_at', '=', 'n.newest_at'),
      )
      .select('s.*')
      .orderBy('s.id'); // of two samples taken at the same instant, the later insert wins
    return new Map(
      rows.map(row => [
        row.registry_name,
        {
          registryName: row.registry_name,
          storageBytes: Number(row.storage_bytes),
          sampledAt: toDate(row.sampled_at)!,
        },
      ]),
    );
  }

  /** The newest sample of one registry, from a full listing or not. */
  async latestSample(registryName: string): Promise<StorageSample | undefined> {
    const row = await this.samples()
      .where({ registry_name: registryName })
      .orderBy([
        { column: 'sampled_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    return row
      ? {
          registryName: row.registry_name,
          storageBytes: Number(row.storage_bytes),
          sampledAt: toDate(row.sampled_at)!,
          fullListing: Boolean(row.full_listing),
        }
      : undefined;
  }

  async listSamples(
    registryName: string,
    since: Date,
  ): Promise<StorageSample[]> {
    const rows = await this.samples()
      .where({ registry_name: registryName })
      .where('sampled_at', '>=', since)
      .orderBy('sampled_at');
    return rows.map(r => ({
      registryName: r.registry_name,
      storageBytes: Number(r.storage_bytes),
      sampledAt: toDate(r.sampled_at)!,
    }));
  }

  async prune(before: Date): Promise<number> {
    const samples = await this.samples()
      .where('sampled_at', '<', before)
      .delete();
    const newest = await this.lastListingAt();
    await this.listings()
      .where('listed_at', '<', before)
      .modify(q => {
        if (newest) q.whereNot('listed_at', newest);
      })
      .delete();
    return samples;
  }
}
