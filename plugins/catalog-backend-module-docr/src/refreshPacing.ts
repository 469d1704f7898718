import { toError } from '@backstage/errors';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import type { RateLimit } from '@backstage-docr/plugin-docr-node';

/** What a refresh request did for one provider. */
export type RefreshStatus =
  /** The scheduled run starts now. */
  | 'triggered'
  /** A run is under way already: the request joins it. */
  | 'running'
  /** A run was asked less than `minInterval` ago: one more starts at `startsAt`. */
  | 'deferred';

/** How often the refresh route may make a provider read DigitalOcean (`<provider>.refresh`). */
export interface RefreshLimits {
  /** Shortest time between two runs the route starts. */
  minIntervalMs: number;
  /** Refreshes each user may ask of the provider. */
  perUser: RateLimit;
}

export const DEFAULT_REFRESH_LIMITS: RefreshLimits = {
  minIntervalMs: 60_000,
  perUser: { requests: 10, perMs: 600_000 },
};

/** The time the pacing reads and waits on; tests pass a controlled one. */
export interface RefreshClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realRefreshClock: RefreshClock = {
  now: () => Date.now(),
  // Unreferenced: a refresh waiting for its turn never keeps the process alive.
  sleep: (ms, signal) => sleep(ms, undefined, { signal, ref: false }),
};

/**
 * Reads `catalog.providers.digitalocean.<id>.refresh`; what it leaves out is the default's. A bad
 * value fails naming its key.
 */
export function readRefreshLimits(
  provider: Config | undefined,
  key: string,
): RefreshLimits {
  const block = provider?.getOptionalConfig('refresh');
  const duration = (
    config: Config | undefined,
    name: string,
    fallback: number,
  ) => {
    if (!config?.has(name)) return fallback;
    try {
      return durationToMilliseconds(
        readDurationFromConfig(config, { key: name }),
      );
    } catch (error) {
      throw new Error(
        `${key}.refresh.${name === 'per' ? 'perUser.per' : name} is not a valid duration: ${toError(error).message}`,
      );
    }
  };
  const perUser = block?.getOptionalConfig('perUser');
  const requests =
    perUser?.getOptionalNumber('requests') ??
    DEFAULT_REFRESH_LIMITS.perUser.requests;
  if (!Number.isInteger(requests) || requests < 1)
    throw new Error(
      `${key}.refresh.perUser.requests must be a positive integer`,
    );
  const perMs = duration(perUser, 'per', DEFAULT_REFRESH_LIMITS.perUser.perMs);
  if (!(perMs > 0))
    throw new Error(`${key}.refresh.perUser.per must be longer than 0`);
  return {
    minIntervalMs: duration(
      block,
      'minInterval',
      DEFAULT_REFRESH_LIMITS.minIntervalMs,
    ),
    perUser: { requests, perMs },
  };
}

/**
 * Keeps the runs the refresh route starts for one provider at least `minIntervalMs` apart: a
 * request sooner than that after the last is not refused but deferred, and every deferred request
 * until then shares one run at the interval's end (so a registry created meanwhile still shows
 * within the interval).
 */
export class RefreshPacer {
  private lastStartMs?: number;
  private deferredUntilMs?: number;

  constructor(
    private readonly options: {
      minIntervalMs: number;
      clock: RefreshClock;
      /** Starts the provider's run now (or joins the one under way). */
      trigger: () => Promise<'triggered' | 'running'>;
      /** Aborted when the backend stops: a deferred run is dropped. */
      signal: AbortSignal;
      logger: LoggerService;
    },
  ) {}

  async request(): Promise<{ status: RefreshStatus; startsAt?: string }> {
    const { clock, minIntervalMs } = this.options;
    const nowMs = clock.now();
    if (this.deferredUntilMs !== undefined)
      return this.deferred(this.deferredUntilMs);
    if (
      this.lastStartMs === undefined ||
      nowMs - this.lastStartMs >= minIntervalMs
    ) {
      const status = await this.options.trigger();
      this.lastStartMs = nowMs;
      return { status };
    }
    const startsAtMs = this.lastStartMs + minIntervalMs;
    this.deferredUntilMs = startsAtMs;
    void this.runAt(startsAtMs);
    return this.deferred(startsAtMs);
  }

  private deferred(startsAtMs: number) {
    return {
      status: 'deferred' as const,
      startsAt: new Date(startsAtMs).toISOString(),
    };
  }

  private async runAt(startsAtMs: number) {
    const { clock, signal, logger } = this.options;
    try {
      await clock.sleep(startsAtMs - clock.now(), signal);
      this.lastStartMs = clock.now();
      this.deferredUntilMs = undefined;
      await this.options.trigger();
    } catch (error) {
      this.deferredUntilMs = undefined;
      if (!signal.aborted)
        logger.warn(`A deferred DigitalOcean catalog refresh failed: ${error}`);
    }
  }
}
