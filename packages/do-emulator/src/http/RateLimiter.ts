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
  private readonly log = new Map<string, number[]>();

  constructor(private readonly options: RateLimitOptions) {}

  take(key: string, now: number): RateLimitDecision {
    const minuteMs = this.options.minuteMs ?? 60_000;
    const hourMs = this.options.hourMs ?? 3_600_000;
    const times = (this.log.get(key) ?? []).filter(t => t > now - hourMs);
    this.log.set(key, times);
    const inMinute = times.filter(t => t > now - minuteMs);
    const overMinute = inMinute.length >= this.options.perMinute;
    const overHour = times.length >= this.options.perHour;
    if (overMinute || overHour) {
      const freesAt = overHour ? times[0] + hourMs : inMinute[0] + minuteMs;
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
    times.push(now);
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
