import { Knex } from 'knex';
import { FINAL_RUN_STATUSES } from '@backstage-docr/plugin-docr-common';
import { AccountResult } from './result';
import { BUDGET_PER_MINUTE, HOUR, MINUTE, MINUTES, START } from './settings';

const FINAL = FINAL_RUN_STATUSES;

/** A row of docr_gc_runs as the soak reads it. */
export interface RunRow {
  id: number;
  registry_name: string;
  trigger: string;
  status: string;
  do_uuid: string | null;
  reason: string | null;
  window_end: number | null;
  created_at: number;
  statuses_json: string;
}

/** Short labels for run reasons, so that similar ones are counted together. */
function reasonLabel(row: RunRow): string {
  const r = row.reason ?? '';
  if (row.status === 'succeeded') return 'succeeded';
  if (r.includes('Registry no longer exists')) return 'registry gone';
  if (r.includes('the window ended before a retry'))
    return 'window ended before a retry succeeded';
  if (r.startsWith('Nothing to collect')) return 'skipped: nothing changed';
  if (r.startsWith('Only ')) return 'skipped: too little window left';
  if (r.includes('already running')) return 'skipped: a GC already running';
  if (r.startsWith('Cancelled at window end')) return 'cancelled at window end';
  if (r.includes('no longer reports')) return 'DO no longer reports it';
  if (r.includes('no record of this garbage collection'))
    return 'start unconfirmed, DO has no record';
  if (row.status === 'failed' && !r) return 'failed on DigitalOcean';
  return `${row.status}: ${r.slice(0, 60)}`;
}

/** Peaks, budget overruns and the histogram of the calls made per minute. */
export function callFigures(perMinute: Map<number, number>) {
  let callsPeak = 0;
  let callsPeakMinute = 0;
  let minutesOverBudget = 0;
  const histogram: Record<string, number> = {
    '0': MINUTES - perMinute.size,
    '1-10': 0,
    '11-50': 0,
    '51-100': 0,
    '101-250': 0,
    '>250': 0,
  };
  const hourly = new Map<number, number>();
  for (const [minute, calls] of perMinute) {
    if (calls > callsPeak) {
      callsPeak = calls;
      callsPeakMinute = minute;
    }
    if (calls > BUDGET_PER_MINUTE) minutesOverBudget++;
    const bucket =
      calls <= 10
        ? '1-10'
        : calls <= 50
          ? '11-50'
          : calls <= 100
            ? '51-100'
            : calls <= 250
              ? '101-250'
              : '>250';
    histogram[bucket]++;
    const hour = Math.floor(minute / 60);
    hourly.set(hour, (hourly.get(hour) ?? 0) + calls);
  }
  let callsPeakHour = 0;
  let callsPeakHourIndex = 0;
  for (const [hour, calls] of hourly) {
    if (calls > callsPeakHour) {
      callsPeakHour = calls;
      callsPeakHourIndex = hour;
    }
  }
  return {
    callsPeak,
    callsPeakAt: new Date(START + callsPeakMinute * MINUTE).toISOString(),
    callsPeakHour,
    callsPeakHourAt: new Date(START + callsPeakHourIndex * HOUR).toISOString(),
    minutesOverBudget,
    minutesWithCalls: perMinute.size,
    histogram,
  };
}

/** The run history by trigger and outcome. */
export function runFigures(
  history: RunRow[],
): Pick<AccountResult, 'runs' | 'externalRuns'> {
  const window = history.filter(r => r.trigger === 'window');
  const reasons: Record<string, number> = {};
  for (const row of window) {
    const label = FINAL.includes(row.status)
      ? reasonLabel(row)
      : `in flight: ${row.status}`;
    reasons[label] = (reasons[label] ?? 0) + 1;
  }
  return {
    runs: {
      claimed: window.length,
      started: window.filter(r => r.do_uuid).length,
      succeeded: window.filter(r => r.status === 'succeeded').length,
      failed: window.filter(r => r.status === 'failed').length,
      cancelled: window.filter(r => r.status === 'cancelled').length,
      skipped: window.filter(r => r.status === 'skipped').length,
      inFlight: window.filter(r => !FINAL.includes(r.status)).length,
      external: history.filter(r => r.trigger === 'external').length,
      manual: history.filter(r => r.trigger === 'manual').length,
      reasons,
    },
    externalRuns: history
      .filter(r => r.trigger === 'external')
      .map(
        r =>
          `run ${r.id} ${r.registry_name} "${r.status}" created ${new Date(Number(r.created_at)).toISOString().slice(0, 16)}Z`,
      ),
  };
}

/** Rows in each table of the SQLite database. */
export async function dbRowCounts(knex: Knex): Promise<Record<string, number>> {
  const tables: Array<{ name: string }> = await knex('sqlite_master')
    .where({ type: 'table' })
    .whereNot('name', 'like', 'sqlite_%')
    .select('name');
  const dbRows: Record<string, number> = {};
  for (const { name } of tables) {
    const row = await knex(name).count({ n: '*' }).first();
    dbRows[name] = Number(row?.n ?? 0);
  }
  return dbRows;
}
