import { CustomErrorBase } from '@backstage/errors';

/**
 * A number of requests over a period: at most `requests` at once, given back evenly over
 * `perMs` (a token bucket).
 *
 * @public
 */
export interface RateLimit {
  /** Requests allowed at once, with a full bucket. */
  requests: number;
  /** The time over which `requests` tokens are given back. */
  perMs: number;
}

/**
 * Too many requests of one kind: answered 429 with a `Retry-After` of `retryAfterMs`.
 *
 * @public
 */
export class TooManyRequestsError extends CustomErrorBase {
  /** The error's name, for handlers that match on it. */
  name = 'TooManyRequestsError' as const;
  /** How long until the request would be allowed. */
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }

  /** Whole seconds, at least one, for a `Retry-After` header. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.retryAfterMs / 1000));
  }
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Keys kept at most; the least recently used is forgotten (so starts full again). */
const MAX_KEYS = 10_000;

/**
 * Rate limits per key (a user, an account): each key has its own bucket of `limit.requests`
 * tokens, refilled evenly over `limit.perMs`. `take` never waits: it spends or throws
 * `TooManyRequestsError` saying when enough is back. Time comes from `now`, so tests move it.
 *
 * @public
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly ratePerMs: number;

  constructor(
    private readonly options: {
      limit: RateLimit;
      /** Epoch milliseconds. */
      now: () => number;
      /** What is limited and the config key that sets it, for the error's message. */
      describe: (retryAfterSeconds: number) => string;
    },
  ) {
    const { requests, perMs } = options.limit;
    if (!(requests >= 1) || !(perMs > 0)) {
      throw new Error('A rate limit needs requests >= 1 and a period > 0');
    }
    this.ratePerMs = requests / perMs;
  }

  /**
   * Spends `cost` of the key's tokens, or throws `TooManyRequestsError` spending none. A cost
   * above the limit needs a full bucket and empties it.
   */
  take(key: string, cost = 1): void {
    const bucket = this.refilled(key);
    const needed = Math.min(cost, this.options.limit.requests);
    if (bucket.tokens >= needed) {
      bucket.tokens -= needed;
      return;
    }
    const missing = needed - bucket.tokens;
    const retryAfterMs = Math.ceil(missing / this.ratePerMs);
    const error = new TooManyRequestsError('', retryAfterMs);
    error.message = this.options.describe(error.retryAfterSeconds);
    throw error;
  }

  /** Whether `cost` could be spent now, spending nothing. */
  allows(key: string, cost = 1): boolean {
    return (
      this.refilled(key).tokens >= Math.min(cost, this.options.limit.requests)
    );
  }

  /** Gives back what `take` spent for work that did not happen after all. */
  giveBack(key: string, cost = 1): void {
    const bucket = this.refilled(key);
    bucket.tokens = Math.min(this.options.limit.requests, bucket.tokens + cost);
  }

  private refilled(key: string): Bucket {
    const nowMs = this.options.now();
    const bucket = this.buckets.get(key) ?? {
      tokens: this.options.limit.requests,
      atMs: nowMs,
    };
    const elapsed = Math.max(0, nowMs - bucket.atMs);
    bucket.tokens = Math.min(
      this.options.limit.requests,
      bucket.tokens + elapsed * this.ratePerMs,
    );
    bucket.atMs = nowMs;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    for (const oldest of this.buckets.keys()) {
      if (this.buckets.size <= MAX_KEYS) break;
      this.buckets.delete(oldest);
    }
    return bucket;
  }
}
