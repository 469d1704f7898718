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
import { performance } from 'node:perf_hooks';
import { ACCOUNTS } from './soak/accounts';
import { runInChild } from './soak/childProcess';
import { printReport } from './soak/report';

export type { AccountResult } from './soak/result';
export { runAccount } from './soak/simulation';

export async function run() {
  const started = performance.now();
  const results = await Promise.all(ACCOUNTS.map((_, i) => runInChild(i)));
  printReport(results, performance.now() - started);
}
