import { Knex } from 'knex';
import { FINAL_STATUSES } from './gcRunRows';
import { StorageStore } from './StorageStore';

/** Deletes finished runs (with their retention journal) and samples older than the retention allows. */
export async function pruneHistory(
  db: Knex,
  account: string,
  storage: StorageStore,
  options: { runsBefore: Date; samplesBefore: Date },
): Promise<{ runs: number; samples: number }> {
  const runs = await db('docr_gc_runs')
    .where({ account })
    .whereIn('status', FINAL_STATUSES)
    .where('created_at', '<', options.runsBefore)
    .delete();
  const samples = await db('docr_storage_samples')
    .where({ account })
    .where('sampled_at', '<', options.samplesBefore)
    .delete();
  // The retention journal goes with the runs it belongs to.
  await db('docr_retention_deletions')
    .where({ account })
    .where('created_at', '<', options.runsBefore)
    .delete();
  await db('docr_retention_plans')
    .where({ account })
    .where('planned_at', '<', options.runsBefore)
    .delete();
  // Keep the newest listing whatever its age: it says which registries exist.
  const newest = await storage.lastListingAt();
  await db('docr_account_listings')
    .where({ account })
    .where('listed_at', '<', options.samplesBefore)
    .modify(q => {
      if (newest) q.whereNot('listed_at', newest);
    })
    .delete();
  return { runs, samples };
}
