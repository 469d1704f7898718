import type { Knex } from 'knex';
import { RUN_STATUS } from '@backstage-docr/plugin-docr-common';
import { GcRun, RunRow, runFromRow } from './gcRunRows';
import { toDate } from './rowValues';
import type { SavingsStore } from './SavingsStore';
import type { StoragePoint } from '../savings/forecast';

/** What the savings reports read of one account's runs and samples, in the plugin's database. */
export class DatabaseSavingsStore implements SavingsStore {
  constructor(
    private readonly db: Knex,
    private readonly account: string,
  ) {}

  async succeededRunsBetween(range: {
    from: Date;
    to: Date;
    registryName?: string;
  }): Promise<GcRun[]> {
    const rows = await this.db<RunRow>('docr_gc_runs')
      .where({ account: this.account, status: RUN_STATUS.succeeded })
      .modify(q => {
        if (range.registryName) q.where({ registry_name: range.registryName });
      })
      .andWhere('finished_at', '>=', range.from)
      .andWhere('finished_at', '<', range.to)
      .orderBy('finished_at');
    return rows.map(runFromRow);
  }

  async accountStorageSeries(since: Date): Promise<StoragePoint[]> {
    const rows: {
      sampled_at: Date | string | number;
      bytes: string | number;
    }[] = await this.db('docr_storage_samples')
      .where({ account: this.account, full_listing: true })
      .andWhere('sampled_at', '>=', since)
      .groupBy('sampled_at')
      .orderBy('sampled_at')
      .select('sampled_at')
      .sum({ bytes: 'storage_bytes' });
    return rows.map(r => ({
      at: toDate(r.sampled_at)!,
      bytes: Number(r.bytes),
    }));
  }
}
