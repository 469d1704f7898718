import { performance } from 'node:perf_hooks';
import {
  GcPolicyInput,
  gcPolicySchema,
} from '@backstage-docr/plugin-docr-common';
import { GcRun } from '../../plugins/docr-backend/src/database/DocrStore';
import { TestClock } from '../../plugins/docr-backend/src/__testUtils__/backend';
import { ACCOUNTS } from './accounts';
import { CallCounter } from './callCounter';
import { startAccount } from './environment';
import { RunRow, callFigures, dbRowCounts, runFigures } from './figures';
import { AccountResult } from './result';
import { AccountSpec, Ctx, NAMES } from './scenario';
import { MinuteSchedule, mulberry32, schedulePushes } from './schedule';
import {
  AUDIT_EVERY,
  AUDIT_HOURS,
  END,
  MINUTE,
  MINUTES,
  START,
  STUCK_GRACE_MS,
} from './settings';
import { TickRule } from './tickRule';
import { occurrencesOf } from './windows';

const policyOf = (spec: AccountSpec, name: string): GcPolicyInput =>
  spec.configPolicies?.[name] ?? spec.apiPolicies[name] ?? spec.defaultPolicy;

const describeWindows = (policy: GcPolicyInput) =>
  gcPolicySchema
    .parse(policy)
    .windows.map(
      w =>
        `${w.days.length === 7 ? 'daily' : w.days.join(',')} ${w.start} ${w.duration} ${w.timezone}`,
    )
    .join('; ');

/** One account: its emulator, backend and database, for the whole simulated period. */
export async function runAccount(index: number): Promise<AccountResult> {
  const wallStart = performance.now();
  const spec = ACCOUNTS[index];
  const random = mulberry32(1000 + index);
  const names = NAMES.map(n => `${spec.prefix}-${n}`);
  const clock = new TestClock(START);
  const { emulator, knex, docr, store, stop } = await startAccount(
    spec,
    names,
    clock,
  );
  const occurrences = new Map(
    names.map(n => [n, occurrencesOf(policyOf(spec, n))]),
  );
  const calls = new CallCounter(emulator);

  const events: string[] = [];
  const note = (event: string) =>
    events.push(`${new Date(clock.ms).toISOString().slice(0, 16)}Z ${event}`);
  const ctx: Ctx = { emulator, note };
  const schedule = new MinuteSchedule();
  for (const event of spec.events) schedule.at(Date.parse(event.at), event.run);
  const pushCounts = schedulePushes(schedule, names, random);

  // Runs seen in flight past their window end (checked after every tick).
  const overdue = new Set<number>();
  let maxOverdueMs = 0;
  const watchOverdue = (inFlight: GcRun[]) => {
    for (const run of inFlight) {
      if (!run.windowEnd) continue;
      const late = clock.ms - run.windowEnd.getTime();
      if (late > STUCK_GRACE_MS) overdue.add(run.id);
      maxOverdueMs = Math.max(maxOverdueMs, late);
    }
  };
  // Every run the plugin records as started outside the portal (it inserts them one by one).
  let externalInserts = 0;
  knex.on('query', (q: { sql?: string; bindings?: unknown[] }) => {
    if (
      /^insert into .docr_gc_runs./i.test(q.sql ?? '') &&
      q.bindings?.includes('external')
    )
      externalInserts++;
  });

  const tickRule = new TickRule(store, knex, occurrences);
  const refresh = async () => watchOverdue(await tickRule.refresh());

  // Run history: snapshots (pruning deletes old final runs).
  const runs = new Map<number, RunRow>();
  const snapshot = async () => {
    const rows: RunRow[] = await knex('docr_gc_runs').select();
    for (const row of rows) runs.set(Number(row.id), row);
  };

  // The policies stored through the REST API, as an owner would set them in the portal.
  for (const [name, policy] of Object.entries(spec.apiPolicies)) {
    const res = await docr.api('put', `/registries/${name}/policy`, policy);
    if (res.status !== 200)
      throw new Error(`PUT policy ${name}: ${res.status} ${res.text}`);
  }
  await refresh();

  let ticks = 0;
  let auditTicks = 0;
  let auditMismatches = 0;
  let tickMs = 0;
  let tickMsMax = 0;
  const deleteAfter = spec.deleteDuringGc
    ? Date.parse(spec.deleteDuringGc.after)
    : Infinity;
  let deletedDuringGc = false;

  for (let minute = 0; minute < MINUTES; minute++) {
    clock.ms = START + minute * MINUTE;
    calls.startMinute();
    calls.count(); // minute 0: the REST calls storing the policies
    for (const fn of schedule.due(minute)) fn(ctx);
    if (spec.deleteDuringGc && !deletedDuringGc && clock.ms >= deleteAfter) {
      const name = spec.deleteDuringGc.registry;
      const registry = emulator.account.registries.get(name);
      const active = registry && emulator.account.activeGc(registry);
      if (active) {
        emulator.account.deleteRegistry(name);
        deletedDuringGc = true;
        note(
          `${name} (stored policy) deleted during its window, GC ${active.status}`,
        );
      }
    }
    calls.count();

    const due = tickRule.couldCallDo(clock.ms);
    const audit = minute < AUDIT_HOURS * 60 || minute % AUDIT_EVERY === 0;
    if (due || audit) {
      const started = performance.now();
      await docr.tick();
      const ms = performance.now() - started;
      tickMs += ms;
      tickMsMax = Math.max(tickMsMax, ms);
      ticks++;
      const tickCalls = calls.count();
      if (!due) {
        auditTicks++;
        if (tickCalls > 0) auditMismatches++;
      }
      await refresh();
    }
    calls.endMinute(minute);
    if (minute % 60 === 59) await snapshot();
  }
  clock.ms = END;
  await snapshot();

  const inFlightAtEnd = await store.runsInFlight();
  const stuck = inFlightAtEnd.filter(
    r => r.windowEnd && END - r.windowEnd.getTime() > STUCK_GRACE_MS,
  );
  const dbRows = await dbRowCounts(knex);
  const orphaned = [...(await store.allStoredPolicies())]
    .filter(([, p]) => p.orphaned)
    .map(([name]) => name);

  const result: AccountResult = {
    id: spec.id,
    registries: names.length,
    gcMinutes: spec.gcStepMin * 4,
    defaultWindows: describeWindows(spec.defaultPolicy),
    apiPolicies: Object.keys(spec.apiPolicies).length,
    ticks,
    auditTicks,
    auditMismatches,
    skippedMinutes: MINUTES - ticks,
    tickMsMean: tickMs / Math.max(1, ticks),
    tickMsMax,
    wallMs: performance.now() - wallStart,
    calls: emulator.requests.count(),
    ...callFigures(calls.perMinute),
    statuses: calls.statuses,
    byOperation: emulator.requests.summary().byOperation,
    ...runFigures([...runs.values()]),
    startAnswers: calls.startAnswers,
    externalInserts,
    stuckAtEnd: stuck.length,
    stuckAtEndDetail: inFlightAtEnd.map(
      r =>
        `run ${r.id} ${r.registryName} ${r.trigger} "${r.status}" created ${r.createdAt.toISOString()} window end ${r.windowEnd?.toISOString() ?? '-'}`,
    ),
    overdueSeen: overdue.size,
    maxOverdueMin: Math.round(maxOverdueMs / MINUTE),
    orphaned,
    dbRows,
    pushes: pushCounts.pushes,
    pushesRefused: pushCounts.pushesRefused,
    events,
  };
  await stop();
  return result;
}
