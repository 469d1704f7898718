import { setTimeout as sleepFor } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { DigitalOceanApiError } from '@backstage-docr/plugin-docr-node';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export type StopReason = 'deadline' | 'aborted';

/** How retention spends the account's DigitalOcean budget (250 calls a minute, 5,000 an hour). */
export interface RetentionPacing {
  /**
   * Calls retention makes per minute at most, spaced evenly (default 200 of DigitalOcean's 250,
   * leaving the rest to the catalog, the GC task and people's pages). Infinity: no spacing.
   */
  callsPerMinute: number;
  /** Calls retention makes per rolling hour at most (default 3,000 of DigitalOcean's 5,000). */
  callsPerHour: number;
  /** Longest single pause after DigitalOcean still refused a call for its rate limit (default 5 min). */
  maxRateLimitPauseMs: number;
  /** Shortest such pause (default 1 s). */
  minRateLimitPauseMs: number;
}

export const DEFAULT_RETENTION_PACING: RetentionPacing = {
  callsPerMinute: 200,
  callsPerHour: 3_000,
  maxRateLimitPauseMs: 5 * MINUTE_MS,
  minRateLimitPauseMs: 1_000,
};

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

const defaultSleep: Sleep = (ms, signal) =>
  sleepFor(ms, undefined, { signal }).catch(() => undefined);

export function isRateLimited(error: unknown): boolean {
  return error instanceof DigitalOceanApiError && error.status === 429;
}

/**
 * The calls retention made lately, kept by the runner across its runs: a window's work is done
 * in slices (one per GC tick), and the hourly budget must count them all.
 */
export class CallBudget {
  /** Start times (performance.now()) of the calls of the last hour, oldest first. */
  readonly starts: number[] = [];
  lastStart = -Infinity;
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
  private readonly budget: CallBudget;

  constructor(
    private readonly deps: {
      deadline: Date;
      now: () => Date;
      signal?: AbortSignal;
      pacing: RetentionPacing;
      logger: LoggerService;
      sleep?: Sleep;
      /** Shared with the runner's other runs; a new one when absent. */
      budget?: CallBudget;
    },
  ) {
    this.budget = deps.budget ?? new CallBudget();
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

  /** Calls DigitalOcean within the budget; rate-limit refusals are waited out, other errors thrown. */
  async call<T>(
    what: string,
    call: (signal: AbortSignal) => Promise<T>,
  ): Promise<GuardedResult<T>> {
    for (let attempt = 0; ; attempt++) {
      const before = (await this.pace()) ?? this.stopReason();
      if (before) return { stoppedBy: before };
      // A signal per call: what the client and fetch hang on it goes with it, not on the run's.
      const perCall = new AbortController();
      const forward = () => perCall.abort(this.signal.reason);
      this.signal.addEventListener('abort', forward, { once: true });
      try {
        return { value: await call(perCall.signal) };
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

  /** Waits for the next call's turn in the budget; says why it stopped, if it did. */
  private async pace(): Promise<StopReason | undefined> {
    const { callsPerMinute, callsPerHour } = this.deps.pacing;
    const { starts } = this.budget;
    let t = performance.now();
    while (starts.length && starts[0] <= t - HOUR_MS) starts.shift();
    let waitMs = 0;
    if (Number.isFinite(callsPerMinute) && callsPerMinute > 0)
      waitMs = this.budget.lastStart + MINUTE_MS / callsPerMinute - t;
    if (Number.isFinite(callsPerHour) && starts.length >= callsPerHour) {
      const oldest = starts[starts.length - callsPerHour];
      waitMs = Math.max(waitMs, oldest + HOUR_MS - t);
    }
    if (waitMs > 0) {
      const stopped = await this.pause(waitMs);
      if (stopped) return stopped;
      t = performance.now();
    }
    this.budget.lastStart = t;
    if (Number.isFinite(callsPerHour)) starts.push(t);
    return undefined;
  }
}
