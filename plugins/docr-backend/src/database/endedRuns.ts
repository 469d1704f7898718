import type { Knex } from 'knex';
import { FINAL_STATUSES, GcRun, RunRow, runFromRow } from './gcRunRows';

/** An account's runs that reached a final status at or after `since`, oldest first. */
export async function runsEndedSince(
  db: Knex,
  account: string,
  since: Date,
): Promise<GcRun[]> {
  const rows = await db<RunRow>('docr_gc_runs')
    .where({ account })
    .whereIn('status', FINAL_STATUSES)
    .andWhere('finished_at', '>=', since)
    .orderBy('finished_at')
    .orderBy('id');
  return rows.map(runFromRow);
}
