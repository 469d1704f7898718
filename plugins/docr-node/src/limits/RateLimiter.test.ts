import { RateLimiter, TooManyRequestsError } from './RateLimiter';

describe('RateLimiter', () => {
  let nowMs = 0;
  const limiter = () =>
    new RateLimiter({
      limit: { requests: 3, perMs: 60_000 },
      now: () => nowMs,
      describe: seconds => `Too many checks; try again in ${seconds} s`,
    });

  beforeEach(() => {
    nowMs = Date.parse('2026-12-03T08:00:00Z');
  });

  it('allows the burst of the limit, then refuses saying when one is back', () => {
    const limits = limiter();
    for (let i = 0; i < 3; i++) limits.take('user:default/a');
    let error: unknown;
    try {
      limits.take('user:default/a');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect((error as TooManyRequestsError).retryAfterMs).toBe(20_000);
    expect((error as TooManyRequestsError).message).toBe(
      'Too many checks; try again in 20 s',
    );
  });

  it('gives tokens back evenly over the period', () => {
    const limits = limiter();
    for (let i = 0; i < 3; i++) limits.take('a');
    nowMs += 19_999;
    expect(limits.allows('a')).toBe(false);
    nowMs += 1;
    limits.take('a');
    expect(limits.allows('a')).toBe(false);
    nowMs += 60_000;
    for (let i = 0; i < 3; i++) limits.take('a');
    expect(() => limits.take('a')).toThrow(TooManyRequestsError);
  });

  it('keeps each key to its own bucket', () => {
    const limits = limiter();
    for (let i = 0; i < 3; i++) limits.take('a');
    expect(() => limits.take('a')).toThrow(TooManyRequestsError);
    expect(() => limits.take('b')).not.toThrow();
  });

  it('spends nothing when it refuses, and a cost above the limit takes a full bucket', () => {
    const limits = limiter();
    limits.take('a', 2);
    expect(() => limits.take('a', 2)).toThrow(TooManyRequestsError);
    limits.take('a');
    nowMs += 60_000;
    limits.take('a', 10);
    expect(limits.allows('a')).toBe(false);
    limits.giveBack('a', 10);
    expect(limits.allows('a', 3)).toBe(true);
  });
});
