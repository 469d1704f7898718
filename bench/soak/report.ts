import { ACCOUNTS } from './accounts';
import { AccountResult } from './result';
import {
  AUDIT_EVERY,
  AUDIT_HOURS,
  BUDGET_PER_MINUTE,
  DAYS,
  END,
  MINUTE,
  MINUTES,
  START,
  STUCK_GRACE_MS,
} from './settings';

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });

/** Prints the accounts' figures side by side, then each account's outcomes and events. */
export function printReport(results: AccountResult[], wallMs: number) {
  const col = 22;
  const row = (label: string, values: Array<string | number>) =>
    console.log(
      `${label.padEnd(44)}${values.map(v => String(v).padStart(col)).join('')}`,
    );
  console.log(
    `Soak: ${ACCOUNTS.length} DigitalOcean accounts (emulators) x 10 registries, one docr backend each (SQLite in memory).`,
  );
  console.log(
    `Simulated ${new Date(START).toISOString()} -> ${new Date(END).toISOString()}: ${fmt(DAYS, DAYS % 1 ? 2 : 0)} days, ${fmt(MINUTES)} minutes per account, tick frequency 1 min.`,
  );
  console.log(
    `Ticks run only at minutes that could call DigitalOcean (listing due, run in flight, open window without a run); as an audit of that rule, skipped minutes are ticked anyway in the first ${AUDIT_HOURS} h and every ${AUDIT_EVERY}th minute after.`,
  );
  console.log(
    `429 waits are not slept (maxRateLimitWait 0.5 s: a 429 fails the call at once); 5xx retried 3 times with real backoff.\n`,
  );
  row(
    '',
    results.map(r => r.id),
  );
  row(
    'GC duration on DigitalOcean (min)',
    results.map(r => r.gcMinutes),
  );
  row(
    'policies stored through the REST API',
    results.map(r => r.apiPolicies),
  );
  row(
    'ticks run / minutes skipped',
    results.map(r => `${fmt(r.ticks)} / ${fmt(r.skippedMinutes)}`),
  );
  row(
    'audit: skipped minutes ticked / with DO calls',
    results.map(r => `${fmt(r.auditTicks)} / ${r.auditMismatches}`),
  );
  row(
    'tick wall time mean / max (ms)',
    results.map(r => `${fmt(r.tickMsMean, 1)} / ${fmt(r.tickMsMax)}`),
  );
  console.log('DigitalOcean calls (per token; budget 250/min, 5,000/h)');
  row(
    '  total',
    results.map(r => fmt(r.calls)),
  );
  row(
    '  per minute: peak',
    results.map(r => r.callsPeak),
  );
  row(
    '  peak minute at',
    results.map(r => r.callsPeakAt.slice(0, 16) + 'Z'),
  );
  row(
    '  per minute: mean over all minutes',
    results.map(r => fmt(r.calls / MINUTES, 3)),
  );
  row(
    '  per minute: mean over minutes with calls',
    results.map(r => fmt(r.calls / Math.max(1, r.minutesWithCalls), 2)),
  );
  row(
    '  peak / budget per minute',
    results.map(r => `${fmt((100 * r.callsPeak) / BUDGET_PER_MINUTE, 1)} %`),
  );
  row(
    '  minutes over 250',
    results.map(r => r.minutesOverBudget),
  );
  row(
    '  per clock hour: peak (budget 5,000)',
    results.map(r => `${r.callsPeakHour} @ ${r.callsPeakHourAt.slice(5, 13)}h`),
  );
  for (const bucket of Object.keys(results[0].histogram)) {
    row(
      `  minutes with ${bucket} calls`,
      results.map(r => fmt(r.histogram[bucket])),
    );
  }
  const statusKeys = [
    ...new Set(results.flatMap(r => Object.keys(r.statuses))),
  ].sort();
  for (const status of statusKeys) {
    row(
      `  answered ${status === '0' ? 'nothing (dropped)' : status}`,
      results.map(r => fmt(r.statuses[status] ?? 0)),
    );
  }
  console.log('GC runs in window (from the run history, pruned rows included)');
  row(
    '  claimed (one per window occurrence)',
    results.map(r => r.runs.claimed),
  );
  row(
    '  started on DigitalOcean',
    results.map(r => r.runs.started),
  );
  row(
    '  start requests accepted / refused by DO',
    results.map(r => {
      const accepted = r.startAnswers['201'] ?? 0;
      const refused = Object.entries(r.startAnswers)
        .filter(([k]) => k !== '201')
        .map(([k, v]) => `${v}x${k === '0' ? 'lost' : k}`)
        .join(' ');
      return `${accepted} / ${refused || 0}`;
    }),
  );
  row(
    '  succeeded',
    results.map(r => r.runs.succeeded),
  );
  row(
    '  failed',
    results.map(r => r.runs.failed),
  );
  row(
    '  cancelled',
    results.map(r => r.runs.cancelled),
  );
  row(
    '  skipped',
    results.map(r => r.runs.skipped),
  );
  row(
    '  still in flight at the end',
    results.map(r => r.runs.inFlight),
  );
  row(
    '  imported as external (goal 0): rows seen',
    results.map(r => r.runs.external),
  );
  row(
    '  ... rows inserted (churn)',
    results.map(r => fmt(r.externalInserts)),
  );
  row(
    `stuck at end (in flight > window end + ${STUCK_GRACE_MS / MINUTE} min)`,
    results.map(r => r.stuckAtEnd),
  );
  row(
    'runs ever in flight > window end + 30 min',
    results.map(r => r.overdueSeen),
  );
  row(
    'longest in flight past window end (min)',
    results.map(r => r.maxOverdueMin),
  );
  row(
    'registries orphaned at the end',
    results.map(r => r.orphaned.length),
  );
  row(
    'pushes / refused during a GC',
    results.map(r => `${r.pushes} / ${r.pushesRefused}`),
  );
  console.log('DB rows at the end (after pruning)');
  const tables = [
    ...new Set(results.flatMap(r => Object.keys(r.dbRows))),
  ].sort();
  for (const table of tables) {
    row(
      `  ${table}`,
      results.map(r => fmt(r.dbRows[table] ?? 0)),
    );
  }
  row(
    'account wall time (s)',
    results.map(r => fmt(r.wallMs / 1000, 1)),
  );
  for (const r of results) {
    console.log(`\n${r.id}: default policy ${r.defaultWindows}`);
    console.log(
      `  window runs by outcome: ${Object.entries(r.runs.reasons)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join('; ')}`,
    );
    console.log(`  orphaned: ${r.orphaned.join(', ') || 'none'}`);
    if (r.externalRuns.length)
      console.log(
        `  external runs seen (${r.externalRuns.length}), first ones: ${r.externalRuns.slice(0, 4).join('; ')}`,
      );
    if (r.stuckAtEndDetail.length)
      console.log(`  in flight at the end: ${r.stuckAtEndDetail.join('; ')}`);
    console.log(
      `  calls by operation: ${Object.entries(r.byOperation)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    for (const event of r.events) console.log(`  ${event}`);
  }
  console.log(
    `\nWall time of the benchmark: ${fmt(wallMs / 1000, 1)} s (accounts in ${ACCOUNTS.length} child processes)`,
  );
}
