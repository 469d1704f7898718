/**
 * DigitalOcean's rate limits: a budget per minute (250) and per hour (5,000) for each token.
 * `ratelimit-*` headers describe the hourly budget; a refused request gets 429 with `retry-after`
 * (seconds) and `ratelimit-reset` (epoch seconds) saying when capacity returns.
 */
export interface RateLimitOptions {
  perMinute: number;
  perHour: number;
  /** Length of the "minute" window in ms; shortened in tests so that waits stay short. */
  minuteMs?: number;
  hourMs?: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  /** Each token's request times within the last hour, oldest first. */
  private readonly log = new Map<string, number[]>();

  constructor(private readonly options: RateLimitOptions) {}

  /**
   * Counts a request at `now` unless the token's budget is spent. Logarithmic in the requests of
   * the hour (a binary search), so a long benchmark does not slow down as its log grows.
   */
  take(key: string, now: number): RateLimitDecision {
    const minuteMs = this.options.minuteMs ?? 60_000;
    const hourMs = this.options.hourMs ?? 3_600_000;
    const times = this.log.get(key) ?? [];
    this.log.set(key, times);
    times.splice(0, firstAfter(times, now - hourMs));
    const minuteStart = firstAfter(times, now - minuteMs);
    const overMinute = times.length - minuteStart >= this.options.perMinute;
    const overHour = times.length >= this.options.perHour;
    if (overMinute || overHour) {
      const freesAt = overHour
        ? times[0] + hourMs
        : times[minuteStart] + minuteMs;
      return {
        allowed: false,
        headers: {
          'ratelimit-limit': String(this.options.perHour),
          'ratelimit-remaining': String(
            Math.max(0, this.options.perHour - times.length),
          ),
          'ratelimit-reset': String(Math.ceil(freesAt / 1000)),
          'retry-after': String(Math.max(1, Math.ceil((freesAt - now) / 1000))),
        },
      };
    }
    // In order even if a test's clock is set back.
    times.splice(firstAfter(times, now), 0, now);
    return {
      allowed: true,
      headers: {
        'ratelimit-limit': String(this.options.perHour),
        'ratelimit-remaining': String(this.options.perHour - times.length),
        'ratelimit-reset': String(Math.ceil((times[0] + hourMs) / 1000)),
      },
    };
  }

  reset(): void {
    this.log.clear();
  }
}

/** The index of the first time after `at` in ascending `times` (their length if none). */
function firstAfter(times: number[], at: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle] > at) high = middle;
    else low = middle + 1;
  }
  return low;
}
