/*
 * Soak benchmark (issue #10): a simulated month of the docr GC task against three DigitalOcean
 * accounts.
 *
 * Scenario. Three DigitalOcean accounts, each an emulator on the Professional tier with 10
 * registries (the tier's maximum), each looked after by its own docr backend (a real Backstage
 * test backend with the docr plugin, as the plugin works on one account) on its own in-memory
 * SQLite database, with a controlled clock shared by the backend and its emulator. GC policies
 * have weekly or daily windows in varied time zones (Berlin, London, Lisbon, Helsinki, New York,
 * Los Angeles, Chicago, Denver, Phoenix, Tokyo, Sydney, Kolkata, Chatham, Singapore), some from
 * the config default (and one per-registry config entry), some stored through the REST API
 * (PUT /api/docr/registries/:name/policy); some windows are shorter than the account's GC, so
 * runs get cancelled at window end, and the month (March 2027) crosses the US and EU DST changes,
 * with windows starting inside the spring-forward gap. A month (30 days, 43,200 minutes) is
 * simulated at the plugin's tick frequency of 1 minute, while images are pushed all along (new
 * manifests, so GC has work; a push during a GC is refused as DigitalOcean's registry is then
 * read-only), with 429 storms (an hour where everything is answered 429; an hour where the
 * emulator's own rate limiter is cut to 3 calls a minute, so it answers 429 with retry-after to
 * the rest), 5xx bursts, GCs that fail on DigitalOcean's side, a start whose answer is lost, and
 * registries deleted behind our back (one during its window while its GC runs, one outside its
 * windows, one between its windows that is created again a week later).
 *
 * Ticks. One tick with 10 registries in non-UTC zones costs ~20 ms of CPU (mostly the window
 * arithmetic), so 3 x 43,200 ticks would take far more than the 5 minutes this benchmark allows.
 * Every simulated minute is visited (events happen at their minute), but the tick is run only
 * when it could call DigitalOcean, which is exactly when one of these holds (see
 * GarbageCollector.tick): the hourly listing is due (none recorded in the last sample interval,
 * so a failed listing is retried every minute); a run is in flight (any non-final status,
 * including "waiting to retry" and unconfirmed starts); or a registry the tick looks after (in
 * the last listing or with a stored policy, not orphaned) has a window open whose occurrence has
 * no run yet, or one waiting to retry. Other minutes are skipped: they cost no DigitalOcean call.
 * As an audit of that rule, minutes it skips are ticked anyway during the first AUDIT_HOURS and
 * then every AUDIT_EVERY-th minute (181, so the sample drifts through the hours of the day), and
 * each such tick that called DigitalOcean is counted (goal: 0). DigitalOcean calls are counted
 * per simulated minute from each emulator's request log (its timestamps are wall-clock, so the
 * count is sampled around the work done at each minute: events, REST calls and the tick).
 *
 * Rate-limit waits. The client waits out a 429 as `retry-after` says, in real time, which cannot
 * pass in simulated time; `digitalocean.maxRateLimitWait` is set to 0.5 s, so any 429 asking for
 * a longer wait (all of them here) fails the call at once, as a wait over the limit does in
 * production. 5xx retries keep the default of 3 retries with their real (sub-second) backoff.
 *
 * The three accounts run in three child processes (each account has its own backend anyway), so
 * the two cores of a small machine are both used. Set SOAK_DAYS to simulate fewer days.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import Knex from 'knex';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import { DocrStore } from '@backstage-docr/plugin-docr-backend';
import {
  FINAL_RUN_STATUSES,
  GcPolicyInput,
  RUN_STATUS,
  gcPolicySchema,
  nextWindowAfter,
} from '@backstage-docr/plugin-docr-common';
import { DateTime } from 'luxon';
import {
  TestClock,
  startDocrBackend,
} from '../plugins/docr-backend/src/__testUtils__/backend';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MIB = 1024 ** 2;
const START = Date.parse('2027-03-01T00:00:00Z'); // a Monday
const DAYS = Number(process.env.SOAK_DAYS ?? 30);
const MINUTES = Math.round(DAYS * 24 * 60);
const END = START + MINUTES * MINUTE;
/** Every minute of the first hours is ticked, and every AUDIT_EVERY-th minute after them. */
const AUDIT_HOURS = Number(process.env.SOAK_AUDIT_HOURS ?? 2);
const AUDIT_EVERY = 181;
/** DigitalOcean's budget per token. */
const BUDGET_PER_MINUTE = 250;
const BUDGET_PER_HOUR = 5000;
/** A run still in flight this long after its window end counts as stuck. */
const STUCK_GRACE_MS = 30 * MINUTE;
/** Mean time between two pushes to one registry. */
const PUSH_EVERY_MS = 6 * HOUR;
const FINAL = FINAL_RUN_STATUSES;
const RETRY_PENDING = RUN_STATUS.waitingToRetry;

const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const NAMES = [
  'alpha',
  'bravo',
  'charlie',
  'delta',
  'echo',
  'foxtrot',
  'golf',
  'hotel',
  'india',
  'juliet',
];

type Window = GcPolicyInput['windows'] extends (infer W)[] | undefined
  ? W
  : never;
const win = (
  days: readonly string[],
  start: string,
  duration: string,
  timezone: string,
): Window => ({ days: [...days] as Window['days'], start, duration, timezone });

interface Ctx {
  emulator: DoEmulator;
  note(event: string): void;
}

interface AccountSpec {
  id: string;
  prefix: string;
  /** Time each GC status lasts on DigitalOcean: a GC takes 4 of them. */
  gcStepMin: number;
  defaultPolicy: GcPolicyInput;
  configPolicies?: Record<string, GcPolicyInput>;
  retention?: object;
  apiPolicies: Record<string, GcPolicyInput>;
  events: Array<{ at: string; run(ctx: Ctx): void }>;
  /** Deleted at the first minute after `after` when its GC is running on DigitalOcean. */
  deleteDuringGc?: { registry: string; after: string };
}

/** Everything answered 429 for an hour (the fault carries the emulator's rate-limit headers). */
const storm429 = (from: string, to: string): AccountSpec['events'] => [
  {
    at: from,
    run: ({ emulator, note }) => {
      emulator.faults.add({ kind: 'error', status: 429, count: 1e9 });
      note('429 storm (every call) starts');
    },
  },
  {
    at: to,
    run: ({ emulator, note }) => {
      emulator.faults.clear();
      note('429 storm ends');
    },
  },
];

/** The emulator's own per-minute rate limit cut to `perMinute` for an hour: 429 + retry-after. */
const throttled = (
  from: string,
  to: string,
  perMinute: number,
): AccountSpec['events'] => {
  // The limiter is private to the emulator; its budget is read at each request.
  const limiter = (emulator: DoEmulator) =>
    (
      emulator as unknown as {
        rateLimiter: { options: { perMinute: number } };
      }
    ).rateLimiter.options;
  return [
    {
      at: from,
      run: ({ emulator, note }) => {
        limiter(emulator).perMinute = perMinute;
        note(`rate limit cut to ${perMinute}/min (429 with retry-after)`);
      },
    },
    {
      at: to,
      run: ({ emulator, note }) => {
        limiter(emulator).perMinute = BUDGET_PER_MINUTE;
        note(`rate limit back to ${BUDGET_PER_MINUTE}/min`);
      },
    },
  ];
};

const burst5xx = (
  at: string,
  status: number,
  count: number,
): AccountSpec['events'][number] => ({
  at,
  run: ({ emulator, note }) => {
    emulator.faults.add({ kind: 'error', status, count });
    note(`burst of ${count} x ${status}`);
  },
});

const failNextGcs = (at: string, count: number) => ({
  at,
  run: ({ emulator, note }: Ctx) => {
    emulator.account.failNextGcs = count;
    note(`next ${count} GCs fail on DigitalOcean's side`);
  },
});

const ACCOUNTS: AccountSpec[] = [
  {
    id: 'acme-eu',
    prefix: 'eu',
    gcStepMin: 2,
    defaultPolicy: {
      windows: [win(['sun'], '02:00', 'PT2H', 'Europe/Berlin')],
    },
    configPolicies: {
      'eu-juliet': {
        windows: [win(ALL_DAYS, '00:30', 'PT1H', 'Europe/London')],
      },
    },
    apiPolicies: {
      'eu-alpha': {
        windows: [win(ALL_DAYS, '01:00', 'PT1H', 'Europe/Berlin')],
      },
      'eu-bravo': {
        windows: [win(ALL_DAYS, '01:00', 'PT1H', 'Europe/Berlin')],
      },
      'eu-charlie': {
        windows: [win(ALL_DAYS, '23:00', 'PT30M', 'Europe/Lisbon')],
      },
      'eu-delta': {
        windows: [
          win(['mon', 'wed', 'fri'], '21:00', 'PT2H', 'Europe/Helsinki'),
        ],
      },
    },
    events: [
      ...storm429('2027-03-06T23:20:00Z', '2027-03-07T00:20:00Z'),
      burst5xx('2027-03-12T00:02:00Z', 503, 20),
      failNextGcs('2027-03-15T00:00:00Z', 2),
    ],
    deleteDuringGc: { registry: 'eu-delta', after: '2027-03-10T00:00:00Z' },
  },
  {
    id: 'acme-us',
    prefix: 'us',
    gcStepMin: 4,
    defaultPolicy: {
      windows: [win(['mon', 'sat'], '23:30', 'PT1H', 'America/New_York')],
    },
    apiPolicies: {
      'us-alpha': {
        windows: [win(['sat'], '22:00', 'PT3H', 'America/Los_Angeles')],
      },
      'us-bravo': {
        windows: [win(ALL_DAYS, '02:30', 'PT15M', 'America/Chicago')],
      },
      'us-charlie': {
        type: 'untagged manifests only',
        windows: [win(['mon', 'thu'], '12:00', 'PT2H', 'America/Denver')],
      },
      'us-delta': {
        windows: [win(ALL_DAYS, '06:00', 'PT1H', 'America/Phoenix')],
      },
    },
    events: [
      burst5xx('2027-03-09T04:35:00Z', 500, 15),
      failNextGcs('2027-03-10T00:00:00Z', 3),
      {
        at: '2027-03-15T15:00:00Z',
        run: ({ emulator, note }) => {
          emulator.account.deleteRegistry('us-hotel');
          note('us-hotel (config default policy) deleted outside its window');
        },
      },
      ...throttled('2027-03-21T03:00:00Z', '2027-03-21T04:00:00Z', 3),
    ],
  },
  {
    id: 'acme-apac',
    prefix: 'ap',
    gcStepMin: 5,
    retention: { runs: 'P14D', samples: 'P7D' },
    defaultPolicy: {
      windows: [win(['wed', 'sat'], '04:00', 'PT2H', 'Asia/Tokyo')],
    },
    apiPolicies: {
      'ap-alpha': {
        windows: [win(ALL_DAYS, '12:00', 'PT15M', 'Australia/Sydney')],
      },
      'ap-bravo': {
        windows: [win(ALL_DAYS, '03:30', 'PT1H30M', 'Asia/Kolkata')],
      },
      'ap-charlie': {
        windows: [win(['fri'], '20:00', 'PT4H', 'Pacific/Chatham')],
      },
      'ap-foxtrot': {
        windows: [win(ALL_DAYS, '02:00', 'PT2H', 'Asia/Singapore')],
      },
    },
    events: [
      burst5xx('2027-03-03T22:00:00Z', 503, 25),
      {
        at: '2027-03-08T12:00:00Z',
        run: ({ emulator, note }) => {
          emulator.account.deleteRegistry('ap-foxtrot');
          note('ap-foxtrot (stored policy) deleted between its windows');
        },
      },
      {
        at: '2027-03-14T12:00:00Z',
        run: ({ emulator, note }) => {
          emulator.account.createRegistry({ name: 'ap-foxtrot' });
          emulator.push('ap-foxtrot', 'web', 'latest', layers());
          note('ap-foxtrot created again');
        },
      },
      {
        at: '2027-03-17T17:59:00Z',
        run: ({ emulator, note }) => {
          emulator.faults.add({
            kind: 'drop-response',
            operationId: 'registries_run_garbageCollection',
          });
          note('the answer to the next GC start is lost');
        },
      },
      ...storm429('2027-03-23T18:30:00Z', '2027-03-23T19:30:00Z'),
    ],
  },
];

function layers() {
  return [{ size: 5 * MIB }, { size: 20 * MIB }];
}

/** A small seeded PRNG, so every run pushes at the same moments. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Occurrence {
  start: number;
  end: number;
  key: string;
}

/** Every occurrence of a policy's windows overlapping the simulated period. */
function occurrencesOf(policy: GcPolicyInput): Occurrence[] {
  const windows = gcPolicySchema.parse(policy).windows;
  const result: Occurrence[] = [];
  let at: DateTime = DateTime.fromMillis(START - 8 * DAY, { zone: 'utc' });
  for (;;) {
    const next = nextWindowAfter(windows, at);
    if (!next || next.start.toMillis() >= END) break;
    if (next.end.toMillis() > START) {
      result.push({
        start: next.start.toMillis(),
        end: next.end.toMillis(),
        key: next.key,
      });
    }
    at = next.start;
  }
  return result;
}

/** The occurrence open at `t`, earliest-opened first, as openWindowAt picks it. */
function openAt(occurrences: Occurrence[], t: number): Occurrence | undefined {
  let open: Occurrence | undefined;
  for (const o of occurrences) {
    if (o.start > t) break;
    if (t < o.end && (!open || o.start < open.start)) open = o;
  }
  return open;
}

interface RunRow {
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

export interface AccountResult {
  id: string;
  registries: number;
  gcMinutes: number;
  defaultWindows: string;
  apiPolicies: number;
  ticks: number;
  auditTicks: number;
  auditMismatches: number;
  skippedMinutes: number;
  tickMsMean: number;
  tickMsMax: number;
  wallMs: number;
  calls: number;
  callsPeak: number;
  callsPeakAt: string;
  callsPeakHour: number;
  callsPeakHourAt: string;
  minutesOverBudget: number;
  minutesWithCalls: number;
  histogram: Record<string, number>;
  statuses: Record<string, number>;
  byOperation: Record<string, number>;
  runs: {
    claimed: number;
    started: number;
    succeeded: number;
    failed: number;
    cancelled: number;
    skipped: number;
    inFlight: number;
    external: number;
    manual: number;
    reasons: Record<string, number>;
  };
  startAnswers: Record<string, number>;
  externalInserts: number;
  externalRuns: string[];
  stuckAtEnd: number;
  stuckAtEndDetail: string[];
  overdueSeen: number;
  maxOverdueMin: number;
  orphaned: string[];
  dbRows: Record<string, number>;
  pushes: number;
  pushesRefused: number;
  events: string[];
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

/** One account: its emulator, backend and database, for the whole simulated period. */
export async function runAccount(index: number): Promise<AccountResult> {
  const wallStart = performance.now();
  const spec = ACCOUNTS[index];
  const random = mulberry32(1000 + index);
  const names = NAMES.map(n => `${spec.prefix}-${n}`);
  const clock = new TestClock(START);
  const seed: EmulatorSeed = {
    account: { subscriptionTier: 'professional' },
    registries: names.map(name => ({
      name,
      images: [{ repository: 'web', tag: 'latest', sizeMiB: 25, pushes: 2 }],
    })),
  };
  const emulator = await DoEmulator.start({
    seed,
    clock: clock.now,
    gcStepMs: spec.gcStepMin * MINUTE,
    rateLimitPerMinute: BUDGET_PER_MINUTE,
    rateLimitPerHour: BUDGET_PER_HOUR,
  });
  const knex = Knex({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const docr = await startDocrBackend({
    emulatorUrl: emulator.url,
    clock,
    knex,
    docr: {
      garbageCollection: {
        default: spec.defaultPolicy,
        ...(spec.configPolicies ? { registries: spec.configPolicies } : {}),
        ...(spec.retention ? { retention: spec.retention } : {}),
      },
    },
    digitalocean: { maxRetries: 3, maxRateLimitWait: { milliseconds: 500 } },
  });
  // A second view of the plugin's tables, for the tick rule and the figures.
  const store = await DocrStore.create(knex, { skipMigrations: true });

  const policyOf = (name: string): GcPolicyInput =>
    spec.configPolicies?.[name] ?? spec.apiPolicies[name] ?? spec.defaultPolicy;
  const occurrences = new Map(names.map(n => [n, occurrencesOf(policyOf(n))]));

  // Per-minute DigitalOcean calls (only minutes with calls are kept).
  const perMinute = new Map<number, number>();
  const statuses: Record<string, number> = {};
  const startAnswers: Record<string, number> = {};
  let minuteCalls = 0;
  let counted = emulator.requests.count();
  const countCalls = () => {
    const total = emulator.requests.count();
    const delta = total - counted;
    counted = total;
    if (delta > 0) {
      for (const entry of emulator.requests.all().slice(-delta)) {
        const key = String(entry.status ?? 'none');
        statuses[key] = (statuses[key] ?? 0) + 1;
        if (entry.operationId === 'registries_run_garbageCollection')
          startAnswers[key] = (startAnswers[key] ?? 0) + 1;
      }
    }
    minuteCalls += delta;
    return delta;
  };

  const events: string[] = [];
  const note = (event: string) =>
    events.push(`${new Date(clock.ms).toISOString().slice(0, 16)}Z ${event}`);
  const ctx: Ctx = { emulator, note };
  const scheduled = new Map<number, Array<(c: Ctx) => void>>();
  const schedule = (ms: number, fn: (c: Ctx) => void) => {
    const minute = Math.floor((ms - START) / MINUTE);
    if (minute < 0 || minute >= MINUTES) return;
    scheduled.set(minute, [...(scheduled.get(minute) ?? []), fn]);
  };
  for (const event of spec.events) schedule(Date.parse(event.at), event.run);

  // Pushes: each registry gets a new manifest for web:latest every PUSH_EVERY_MS on average.
  let pushes = 0;
  let pushesRefused = 0;
  for (const name of names) {
    let t = START;
    for (;;) {
      t += Math.max(MINUTE, -Math.log(1 - random()) * PUSH_EVERY_MS);
      if (t >= END) break;
      schedule(t, ({ emulator: e }) => {
        if (!e.account.registries.has(name)) return;
        pushes++;
        try {
          e.push(name, 'web', 'latest', layers());
        } catch {
          pushesRefused++; // read-only during its GC, as on DigitalOcean
        }
      });
    }
  }

  // Runs seen in flight past their window end (checked after every tick).
  const overdue = new Set<number>();
  let maxOverdueMs = 0;
  // Every run the plugin records as started outside the portal (it inserts them one by one).
  let externalInserts = 0;
  knex.on('query', (q: { sql?: string; bindings?: unknown[] }) => {
    if (
      /^insert into .docr_gc_runs./i.test(q.sql ?? '') &&
      q.bindings?.includes('external')
    )
      externalInserts++;
  });

  // What the tick rule needs from the database, read after anything that may change it.
  let cache = {
    lastListingAt: undefined as number | undefined,
    inFlight: 0,
    claimed: new Set<string>(),
    lookedAfter: new Set<string>(),
  };
  const refresh = async () => {
    const [listedAt, inFlight, listing, stored, rows] = await Promise.all([
      store.lastListingAt(),
      store.runsInFlight(),
      store.latestListing(),
      store.allStoredPolicies(),
      knex('docr_gc_runs')
        .whereNotNull('occurrence_key')
        .whereNot('status', RETRY_PENDING)
        .select('registry_name', 'occurrence_key'),
    ]);
    const lookedAfter = new Set([
      ...listing.map(s => s.registryName),
      ...stored.keys(),
    ]);
    for (const [name, p] of stored) if (p.orphaned) lookedAfter.delete(name);
    for (const run of inFlight) {
      if (!run.windowEnd) continue;
      const late = clock.ms - run.windowEnd.getTime();
      if (late > STUCK_GRACE_MS) overdue.add(run.id);
      maxOverdueMs = Math.max(maxOverdueMs, late);
    }
    cache = {
      lastListingAt: listedAt?.getTime(),
      inFlight: inFlight.length,
      claimed: new Set(rows.map(r => `${r.registry_name}|${r.occurrence_key}`)),
      lookedAfter,
    };
  };
  const sampleIntervalMs = HOUR;
  const tickCouldCallDo = (t: number) => {
    if (
      cache.lastListingAt === undefined ||
      t - cache.lastListingAt >= sampleIntervalMs
    )
      return true;
    if (cache.inFlight > 0) return true;
    for (const name of cache.lookedAfter) {
      const open = openAt(occurrences.get(name) ?? [], t);
      if (open && !cache.claimed.has(`${name}|${open.key}`)) return true;
    }
    return false;
  };

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
    minuteCalls = 0;
    countCalls(); // minute 0: the REST calls storing the policies
    for (const fn of scheduled.get(minute) ?? []) fn(ctx);
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
    countCalls();

    const due = tickCouldCallDo(clock.ms);
    const audit = minute < AUDIT_HOURS * 60 || minute % AUDIT_EVERY === 0;
    if (due || audit) {
      const started = performance.now();
      await docr.tick();
      const ms = performance.now() - started;
      tickMs += ms;
      tickMsMax = Math.max(tickMsMax, ms);
      ticks++;
      const calls = countCalls();
      if (!due) {
        auditTicks++;
        if (calls > 0) auditMismatches++;
      }
      await refresh();
    }
    if (minuteCalls > 0) perMinute.set(minute, minuteCalls);
    if (minute % 60 === 59) await snapshot();
  }
  clock.ms = END;
  await snapshot();

  // Figures.
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
  const all = [...runs.values()];
  const window = all.filter(r => r.trigger === 'window');
  const reasons: Record<string, number> = {};
  for (const row of window) {
    const label = FINAL.includes(row.status)
      ? reasonLabel(row)
      : `in flight: ${row.status}`;
    reasons[label] = (reasons[label] ?? 0) + 1;
  }
  const inFlightAtEnd = await store.runsInFlight();
  const stuck = inFlightAtEnd.filter(
    r => r.windowEnd && END - r.windowEnd.getTime() > STUCK_GRACE_MS,
  );
  const tables: Array<{ name: string }> = await knex('sqlite_master')
    .where({ type: 'table' })
    .whereNot('name', 'like', 'sqlite_%')
    .select('name');
  const dbRows: Record<string, number> = {};
  for (const { name } of tables) {
    const row = await knex(name).count({ n: '*' }).first();
    dbRows[name] = Number(row?.n ?? 0);
  }
  const orphaned = [...(await store.allStoredPolicies())]
    .filter(([, p]) => p.orphaned)
    .map(([name]) => name);

  const result: AccountResult = {
    id: spec.id,
    registries: names.length,
    gcMinutes: spec.gcStepMin * 4,
    defaultWindows: gcPolicySchema
      .parse(spec.defaultPolicy)
      .windows.map(
        w =>
          `${w.days.length === 7 ? 'daily' : w.days.join(',')} ${w.start} ${w.duration} ${w.timezone}`,
      )
      .join('; '),
    apiPolicies: Object.keys(spec.apiPolicies).length,
    ticks,
    auditTicks,
    auditMismatches,
    skippedMinutes: MINUTES - ticks,
    tickMsMean: tickMs / Math.max(1, ticks),
    tickMsMax,
    wallMs: performance.now() - wallStart,
    calls: emulator.requests.count(),
    callsPeak,
    callsPeakAt: new Date(START + callsPeakMinute * MINUTE).toISOString(),
    callsPeakHour,
    callsPeakHourAt: new Date(START + callsPeakHourIndex * HOUR).toISOString(),
    minutesOverBudget,
    minutesWithCalls: perMinute.size,
    histogram,
    statuses,
    byOperation: emulator.requests.summary().byOperation,
    runs: {
      claimed: window.length,
      started: window.filter(r => r.do_uuid).length,
      succeeded: window.filter(r => r.status === 'succeeded').length,
      failed: window.filter(r => r.status === 'failed').length,
      cancelled: window.filter(r => r.status === 'cancelled').length,
      skipped: window.filter(r => r.status === 'skipped').length,
      inFlight: window.filter(r => !FINAL.includes(r.status)).length,
      external: all.filter(r => r.trigger === 'external').length,
      manual: all.filter(r => r.trigger === 'manual').length,
      reasons,
    },
    startAnswers,
    externalInserts,
    externalRuns: all
      .filter(r => r.trigger === 'external')
      .map(
        r =>
          `run ${r.id} ${r.registry_name} "${r.status}" created ${new Date(Number(r.created_at)).toISOString().slice(0, 16)}Z`,
      ),
    stuckAtEnd: stuck.length,
    stuckAtEndDetail: inFlightAtEnd.map(
      r =>
        `run ${r.id} ${r.registryName} ${r.trigger} "${r.status}" created ${r.createdAt.toISOString()} window end ${r.windowEnd?.toISOString() ?? '-'}`,
    ),
    overdueSeen: overdue.size,
    maxOverdueMin: Math.round(maxOverdueMs / MINUTE),
    orphaned,
    dbRows,
    pushes,
    pushesRefused,
    events,
  };
  await docr.stop();
  await emulator.stop();
  await knex.destroy();
  return result;
}

/** Runs one account in a child process and returns its figures. */
function runInChild(index: number): Promise<AccountResult> {
  const code = [
    `require(${JSON.stringify(require.resolve('@backstage/cli/config/nodeTransform.cjs'))});`,
    `require(${JSON.stringify(__filename)}).runAccount(${index}).then(`,
    `  r => process.send(r, () => process.exit(0)),`,
    `  e => { console.error(e); process.exit(1); });`,
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      cwd: process.cwd(),
    });
    let output = '';
    let result: AccountResult | undefined;
    child.stdout!.on('data', d => (output += d));
    child.stderr!.on('data', d => (output += d));
    child.on('message', m => (result = m as AccountResult));
    child.on('exit', code =>
      result
        ? resolve(result)
        : reject(
            new Error(
              `account ${index} exited ${code}:\n${output.slice(-4000)}`,
            ),
          ),
    );
  });
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });

export async function run() {
  const started = performance.now();
  const results = await Promise.all(ACCOUNTS.map((_, i) => runInChild(i)));
  const wallMs = performance.now() - started;

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
