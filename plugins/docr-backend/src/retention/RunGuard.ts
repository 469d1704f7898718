import { createHash } from 'node:crypto';
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { DigitalOceanApiError } from '@backstage-docr/plugin-docr-node';
import type { RetentionBudgetStore } from './RetentionBudgetStore';

const MINUTE_MS = 60_000;
/** Items per page of a DigitalOcean listing, as the client asks for them. */
const LISTING_PAGE_SIZE = 200;

/** The DigitalOcean calls a listing of `items` took: one per page of 200, at least one. */
export const listingPages = (items: unknown[] | undefined): number =>
  Math.max(1, Math.ceil((items?.length ?? 0) / LISTING_PAGE_SIZE));

export type StopReason = 'deadline' | 'aborted';

/** How retention spends the account's DigitalOcean budget (250 calls a minute, 5,000 an hour). */
export interface RetentionPacing {
  /**
   * Calls retention makes per minute at most, spaced evenly over every replica (default 200 of
   * DigitalOcean's 250, leaving the rest to the catalog, the GC task and people's pages).
   * Infinity: no spacing.
   */
  callsPerMinute: number;
  /** Calls retention makes per rolling hour at most (default 3,000 of DigitalOcean's 5,000). */
  callsPerHour: number;
  /**
   * Requests to the registry host (manifests, tags, referrers, tokens) per minute and per
   * rolling hour at most: its own budget, since its limits are not DigitalOcean's API's (default
   * 300 and 10,000). The docker credentials those requests need are DigitalOcean calls.
   */
  registryHost: { callsPerMinute: number; callsPerHour: number };
  /** Longest single pause after DigitalOcean still refused a call for its rate limit (default 5 min). */
  maxRateLimitPauseMs: number;
  /** Shortest such pause (default 1 s). */
  minRateLimitPauseMs: number;
}

export const DEFAULT_RETENTION_PACING: RetentionPacing = {
  callsPerMinute: 200,
  callsPerHour: 3_000,
  registryHost: { callsPerMinute: 300, callsPerHour: 10_000 },
  maxRateLimitPauseMs: 5 * MINUTE_MS,
  minRateLimitPauseMs: 1_000,
};

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

const defaultSleep: Sleep = (ms, signal) =>
  sleepFor(ms, undefined, { signal }).catch(() => undefined);

export function isRateLimited(error: unknown): boolean {
  return error instanceof DigitalOceanApiError && error.status === 429;
}

/** Calls a minute and an hour, at most. */
type CallLimits = { callsPerMinute: number; callsPerHour: number };

/** Column width of the budget tables' account key. */
const BUDGET_KEY_LENGTH = 63;

/** The registry host's budget row of an account: its id and a suffix, within the key's width. */
export function registryHostBudgetKey(account: string): string {
  const key = `${account}/registry-host`;
  if (key.length <= BUDGET_KEY_LENGTH) return key;
  const hash = createHash('sha256').update(account).digest('hex').slice(0, 6);
  return `${account.slice(0, BUDGET_KEY_LENGTH - 21)}/registry-host-${hash}`;
}

/** Whether the pacing limits anything (else retention needs no budget). */
function limited({ callsPerMinute, callsPerHour }: CallLimits): boolean {
  return (
    (Number.isFinite(callsPerMinute) && callsPerMinute > 0) ||
    (Number.isFinite(callsPerHour) && callsPerHour > 0)
  );
}

export type GuardedResult<T> =
  { value: T; stoppedBy?: undefined } | { stoppedBy: StopReason };

/**
 * The bounds of one retention run: its deadline (the window's end) and the caller's abort signal
 * stop it; every DigitalOcean call goes through `call`, which paces calls within the budget,
 * never starts one once stopped, and when DigitalOcean still refuses a call for its rate limit
 * after the client's own waits, pauses and asks again rather than failing.
 */
export class RunGuard {
  /** Aborts on the caller's signal or, in real time, at the deadline: in-flight calls stop. */
  readonly signal: AbortSignal;
  /** Pauses taken because DigitalOcean still answered 429 after the client's waits. */
  rateLimitPauses = 0;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = () => this.controller.abort('aborted');

  constructor(
    private readonly deps: {
      deadline: Date;
      now: () => Date;
      signal?: AbortSignal;
      pacing: RetentionPacing;
      logger: LoggerService;
      sleep?: Sleep;
      /** The account's budget, shared by every run of every replica; none: no pacing. */
      budget?: { store: RetentionBudgetStore; account: string };
    },
  ) {
    this.signal = this.controller.signal;
    deps.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (deps.signal?.aborted) this.onAbort();
    const untilDeadline = deps.deadline.getTime() - deps.now().getTime();
    this.timer = setTimeout(
      () => this.controller.abort('deadline'),
      Math.max(0, Math.min(untilDeadline, 2 ** 31 - 1)),
    );
    this.timer.unref();
  }

  /** Why the run must stop now, if it must. */
  stopReason(): StopReason | undefined {
    if (
      this.deps.signal?.aborted ||
      this.controller.signal.reason === 'aborted'
    )
      return 'aborted';
    if (
      this.controller.signal.aborted ||
      this.deps.now().getTime() >= this.deps.deadline.getTime()
    )
      return 'deadline';
    return undefined;
  }

  /**
   * Calls DigitalOcean within the budget; rate-limit refusals are waited out, other errors thrown.
   * `calls` says how many DigitalOcean calls the answer took (a listing's pages): one is taken
   * before, the rest counted after.
   */
  async call<T>(
    what: string,
    call: (signal: AbortSignal) => Promise<T>,
    calls?: (value: T) => number,
  ): Promise<GuardedResult<T>> {
    for (let attempt = 0; ; attempt++) {
      const before = (await this.pace()) ?? this.stopReason();
      if (before) return { stoppedBy: before };
      // A signal per call: what the client and fetch hang on it goes with it, not on the run's.
      const perCall = new AbortController();
      const forward = () => perCall.abort(this.signal.reason);
      this.signal.addEventListener('abort', forward, { once: true });
      try {
        const value = await call(perCall.signal);
        await this.spend((calls?.(value) ?? 1) - 1);
        return { value };
      } catch (error) {
        const stopped = this.stopReason();
        if (stopped && this.signal.aborted) return { stoppedBy: stopped };
        if (!isRateLimited(error)) throw error;
        const { minRateLimitPauseMs, maxRateLimitPauseMs } = this.deps.pacing;
        const asked = (error as { retryAfterMs?: number }).retryAfterMs;
        const pauseMs = Math.min(
          maxRateLimitPauseMs,
          Math.max(
            minRateLimitPauseMs,
            asked ?? minRateLimitPauseMs * 2 ** Math.min(attempt, 8),
          ),
        );
        this.rateLimitPauses++;
        this.deps.logger.warn(
          `DigitalOcean's rate limit still refuses ${what} after the client's waits; retention pauses ${Math.round(pauseMs / 1000)} s and asks again (pause ${attempt + 1} for this call)`,
        );
        const after = await this.pause(pauseMs);
        if (after) return { stoppedBy: after };
      } finally {
        this.signal.removeEventListener('abort', forward);
      }
    }
  }

  /**
   * Takes one call for a request made outside `call` (a registry host call's), from the
   * registry host's budget or, for the docker credentials it needs, DigitalOcean's; waits its
   * turn; says why the run stopped instead, if it did.
   */
  take(
    target: 'registryHost' | 'digitalocean',
  ): Promise<StopReason | undefined> {
    if (target === 'digitalocean') return this.pace();
    const { budget, pacing } = this.deps;
    return this.pace(
      budget && registryHostBudgetKey(budget.account),
      pacing.registryHost,
    );
  }

  /** Sleeps, but not past the deadline nor an abort; says why it stopped early, if it did. */
  async pause(ms: number): Promise<StopReason | undefined> {
    const untilDeadline =
      this.deps.deadline.getTime() - this.deps.now().getTime();
    const sleep = this.deps.sleep ?? defaultSleep;
    if (ms > 0)
      await sleep(Math.min(ms, Math.max(0, untilDeadline)), this.signal);
    if (ms >= untilDeadline) return 'deadline';
    return this.stopReason();
  }

  /** Ends the guard's timer and its hold on the caller's signal. */
  dispose(): void {
    clearTimeout(this.timer);
    this.deps.signal?.removeEventListener('abort', this.onAbort);
  }

  /**
   * Waits for the next call's turn in a budget (the account's DigitalOcean calls unless another
   * key is given); says why it stopped, if it did.
   */
  private async pace(
    key = this.deps.budget?.account,
    limits: CallLimits = this.deps.pacing,
  ): Promise<StopReason | undefined> {
    const { budget, now } = this.deps;
    if (!budget || !key || !limited(limits)) return undefined;
    for (;;) {
      const stopped = this.stopReason();
      if (stopped) return stopped;
      const answer = await budget.store.take(key, now(), limits);
      if (answer.taken) return undefined;
      const waitMs = answer.retryAt.getTime() - now().getTime();
      const paused = await this.pause(Math.max(1, waitMs));
      if (paused) return paused;
    }
  }

  /** Counts calls made beyond the one taken. */
  private async spend(calls: number): Promise<void> {
    const { budget, pacing, now } = this.deps;
    if (budget && limited(pacing) && calls > 0)
      await budget.store.spend(budget.account, now(), calls, pacing);
  }
}
