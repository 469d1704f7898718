import type { Knex } from 'knex';
import { RUN_STATUS } from '@backstage-docr/plugin-docr-common';
import { GcRun, RunRow, runFromRow } from './gcRunRows';
import { toDate } from './rowValues';
import type { StoragePoint } from '../savings/forecast';

/** The account's (or one registry's) succeeded runs that ended in [from, to). */
export async function succeededRunsBetween(
  db: Knex,
  account: string,
  range: { from: Date; to: Date; registryName?: string },
): Promise<GcRun[]> {
  const rows = await db<RunRow>('docr_gc_runs')
    .where({ account, status: RUN_STATUS.succeeded })
    .modify(q => {
      if (range.registryName) q.where({ registry_name: range.registryName });
    })
    .andWhere('finished_at', '>=', range.from)
    .andWhere('finished_at', '<', range.to)
    .orderBy('finished_at');
  return rows.map(runFromRow);
}

/** The account's storage at each full listing since `since`: every registry's sample, summed. */
export async function accountStorageSeries(
  db: Knex,
  account: string,
  since: Date,
): Promise<StoragePoint[]> {
  const rows: { sampled_at: Date | string | number; bytes: string | number }[] =
    await db('docr_storage_samples')
      .where({ account, full_listing: true })
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
